// llm.context_size and llm.max_tokens as the pipeline uses them. Both default to `auto`: the context is
// the model's trained context capped by the memory this machine has for the KV cache (node-llama-cpp's
// GgufInsights, when the embedded model loads), and a reply may take a quarter of it. An
// OpenAI-compatible server tells us neither, so `auto` there is a stated fallback, not a guess dressed
// up as a measurement. A configured number is always used as is.
import type { LlmConfig } from '../../../src-shared/config/schema';

/** `auto` context for an OpenAI-compatible server, which reports no trained context or memory. */
export const serverFallbackContextSize = 8192;
/** `auto` max_tokens: this share of the context, leaving the rest for the prompt. */
export const maxTokensShare = 0.25;

export interface ContextSizing {
  /** Tokens per sequence: prompt plus reply. */
  contextSize: number;
  /** Most tokens one reply may take. */
  maxTokens: number;
  /** Where the numbers came from, for `status` and `model list`. */
  source: string;
}

/** What the loaded model allows: the context node-llama-cpp chose, and the one it was trained for. */
export interface ModelContext {
  contextSize: number;
  trainContextSize: number;
}

export function resolveSizing(
  llm: Pick<LlmConfig, 'context_size' | 'max_tokens'>,
  model: ModelContext | null,
): ContextSizing {
  let contextSize: number;
  let source: string;
  if (llm.context_size !== 'auto') {
    contextSize = llm.context_size;
    source = `llm.context_size ${contextSize} (configured)`;
  } else if (model !== null) {
    contextSize = model.contextSize;
    source =
      model.contextSize >= model.trainContextSize
        ? `llm.context_size auto: ${contextSize}, the model's trained context`
        : `llm.context_size auto: ${contextSize}, the most of the model's trained ${model.trainContextSize} that fits this machine's memory`;
  } else {
    contextSize = serverFallbackContextSize;
    source = `llm.context_size auto: ${contextSize}, a fallback (the server does not report its model's context; set llm.context_size to the server's)`;
  }
  const maxTokens =
    llm.max_tokens === 'auto' ? Math.max(256, Math.floor(contextSize * maxTokensShare)) : llm.max_tokens;
  source +=
    llm.max_tokens === 'auto'
      ? `; llm.max_tokens auto: ${maxTokens} (a quarter of it)`
      : `; llm.max_tokens ${maxTokens} (configured)`;
  return { contextSize, maxTokens, source };
}

/** The line `status` shows: the resolved sizes, or for an embedded model not loaded yet, when they will be. */
export function describeSizing(
  llm: Pick<LlmConfig, 'provider' | 'context_size' | 'max_tokens'>,
  loaded: ContextSizing | undefined,
): string {
  if (loaded !== undefined) return loaded.source;
  if (llm.provider === 'openai' || (llm.context_size !== 'auto' && llm.max_tokens !== 'auto'))
    return resolveSizing(llm, null).source;
  return 'llm.context_size auto: resolved when the model loads (its trained context, capped by memory; `nocturnal model list` shows the estimate)';
}
