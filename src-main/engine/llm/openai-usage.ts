// Token usage of OpenAI-compatible replies: what the server reports, or an estimate (flagged as such)
// when it reports nothing, so the cost ledger never records a call as free by accident.
import type { CompletionUsage as ServerUsage } from 'openai/resources/completions';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { CompletionUsage } from './provider';

export interface TurnTiming {
  durationMs: number;
  timeToFirstTokenMs?: number;
}

export function usageFrom(
  reported: ServerUsage | null | undefined,
  messages: ChatCompletionMessageParam[],
  text: string,
  timing: TurnTiming,
): CompletionUsage {
  const times = {
    durationMs: timing.durationMs,
    ...(timing.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: timing.timeToFirstTokenMs }),
  };
  if (reported === undefined || reported === null) {
    return {
      promptTokens: estimateTokens(JSON.stringify(messages)),
      completionTokens: estimateTokens(text),
      cachedTokens: 0,
      ...times,
      estimated: true,
    };
  }
  return {
    promptTokens: reported.prompt_tokens,
    completionTokens: reported.completion_tokens,
    cachedTokens: reported.prompt_tokens_details?.cached_tokens ?? 0,
    ...times,
  };
}

/** Usage of a call that took a repair turn: both turns' tokens, the time of the whole call. */
export function addUsage(a: CompletionUsage, b: CompletionUsage, durationMs: number): CompletionUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    durationMs,
    ...(a.timeToFirstTokenMs === undefined ? {} : { timeToFirstTokenMs: a.timeToFirstTokenMs }),
    ...(a.estimated === true || b.estimated === true ? { estimated: true } : {}),
  };
}

// About four characters per token for English and code; only used when the server reports nothing.
export function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
