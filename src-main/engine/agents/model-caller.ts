// Every model call the agents make goes through here: it renders nothing itself, it calls the
// provider, then records the interaction (instruction, response or error, tokens, duration, provider,
// model, prompt version) and the usage with its cost — for failures too, so the report is honest.
import type { Logger } from '../log/logger';
import type { BudgetGuard } from '../cost/budget-guard';
import type { CostLedger } from '../cost/cost-ledger';
import type { ContextSizing } from '../llm/context-sizing';
import type { LlmProvider } from '../llm/provider';
import type { StructuredSchema } from '../llm/protocol';
import type { InteractionContext } from '../store/interactions-repo';
import type { Store } from '../store/store';
import type { ChatMessage } from './prompts/prompt-types';

export interface ModelCall<T> {
  agent: string;
  promptId: string;
  messages: ChatMessage[];
  schema: StructuredSchema<T>;
  context: InteractionContext;
  conversationId?: string;
  signal?: AbortSignal;
  /** A smaller reply limit than llm.max_tokens, for calls whose answer is short (nocturnal_explore). */
  maxTokens?: number;
}

export interface ModelCallResult<T> {
  value: T;
  promptTokens: number;
  completionTokens: number;
}

export class ModelCaller {
  constructor(
    private readonly provider: () => Promise<LlmProvider>,
    /** maxTokens `auto`: the provider's resolved share of the model's context (llm.max_tokens). */
    private readonly settings: { maxTokens: number | 'auto'; temperature: number; timeoutMs: number },
    private readonly store: Store,
    private readonly ledger: CostLedger,
    private readonly budget: BudgetGuard,
    private readonly log: Logger,
    private readonly now: () => Date,
  ) {}

  /** The context and reply sizes the model works with (loads the embedded model if needed). */
  async sizing(): Promise<ContextSizing> {
    return (await this.provider()).sizing();
  }

  /** The same caller sampling at another temperature: one variant of a task's parallel attempts. */
  withTemperature(temperature: number): ModelCaller {
    return new ModelCaller(
      this.provider,
      { ...this.settings, temperature },
      this.store,
      this.ledger,
      this.budget,
      this.log,
      this.now,
    );
  }

  async call<T>(call: ModelCall<T>): Promise<ModelCallResult<T>> {
    const instruction = call.messages.map((m) => `[${m.role}]\n${m.content}`).join('\n\n');
    const started = Date.now();
    let provider: LlmProvider | undefined;
    try {
      provider = await this.provider();
      this.budget.assertMayCall(provider.model);
      const maxTokens =
        this.settings.maxTokens === 'auto' ? (await provider.sizing()).maxTokens : this.settings.maxTokens;
      const result = await provider.complete({
        messages: call.messages,
        schema: call.schema,
        options: {
          maxTokens: Math.min(call.maxTokens ?? maxTokens, maxTokens),
          temperature: this.settings.temperature,
          timeoutMs: this.settings.timeoutMs,
          ...(call.signal ? { signal: call.signal } : {}),
        },
        ...(call.conversationId ? { conversationId: call.conversationId } : {}),
      });
      const usage = {
        provider: result.provider,
        model: result.model,
        promptTokens: result.usage.promptTokens,
        completionTokens: result.usage.completionTokens,
        cachedTokens: result.usage.cachedTokens,
        durationMs: result.usage.durationMs,
      };
      this.store.interactions.record(
        {
          ...call.context,
          agent: `${call.agent}/${call.promptId}`,
          schemaName: call.schema.name,
          instruction,
          response: result.rawText,
          error: null,
          ...usage,
        },
        this.now(),
      );
      this.ledger.record(call.context, usage);
      this.budget.checkThresholds(call.context.sessionId);
      this.log.debug({ schema: call.schema.name, ...usage }, 'model call done');
      return { value: result.value, promptTokens: usage.promptTokens, completionTokens: usage.completionTokens };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.store.interactions.record(
        {
          ...call.context,
          agent: `${call.agent}/${call.promptId}`,
          schemaName: call.schema.name,
          instruction,
          response: null,
          error: message,
          promptTokens: 0,
          completionTokens: 0,
          cachedTokens: 0,
          durationMs: Date.now() - started,
          provider: provider?.name ?? 'unavailable',
          model: provider?.model ?? 'unavailable',
        },
        this.now(),
      );
      this.log.warn({ schema: call.schema.name, err: message }, 'model call failed');
      throw error;
    }
  }
}
