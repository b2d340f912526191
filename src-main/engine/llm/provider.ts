// The interface every model back end implements (embedded llama.cpp, OpenAI-compatible servers).
// The pipeline only ever sees this: it sends chat messages plus a protocol schema and gets back a
// validated value, the raw text (for the interaction log) and usage (for the cost ledger).
import type { ContextSizing } from './context-sizing';
import type { StructuredSchema } from './protocol';

export type ChatRole = 'system' | 'user' | 'assistant';

export interface ChatMessage {
  role: ChatRole;
  content: string;
}

export interface CompletionOptions {
  /** Most tokens the reply may generate. */
  maxTokens: number;
  temperature: number;
  /** Sampling seed; the same seed and prompt give the same reply on the embedded provider. */
  seed?: number;
  stop?: string[];
  signal?: AbortSignal;
  /** Longest this call may take, retries excluded; defaults to llm.timeout_s. */
  timeoutMs?: number;
  /**
   * Reply text as it is generated, for live progress. Both providers call it per chunk (the OpenAI
   * provider streams the reply when it is set). A repair turn or a retry starts a new reply: chunks
   * of the failed one were already delivered.
   */
  onTextChunk?: (chunk: string) => void;
}

export interface CompletionRequest<T> {
  /** In order; at most one leading system message; the last message is the user's. */
  messages: ChatMessage[];
  schema: StructuredSchema<T>;
  options: CompletionOptions;
  /**
   * Calls that share an id are turns of one conversation (one attempt): the embedded provider keeps
   * them on the same context sequence where it can, so the shared prompt prefix stays in the KV cache.
   */
  conversationId?: string;
}

export interface CompletionUsage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from a cache instead of being evaluated again. */
  cachedTokens: number;
  durationMs: number;
  /** From the start of the call to the first generated token; absent where it cannot be observed. */
  timeToFirstTokenMs?: number;
  /** True when the counts are estimates (the server reported no usage). */
  estimated?: boolean;
}

export type ProviderName = 'llama' | 'openai';

export interface CompletionResult<T> {
  value: T;
  /** The reply text the value was parsed from (the repaired one where a repair turn ran). */
  rawText: string;
  usage: CompletionUsage;
  provider: ProviderName;
  model: string;
  /** Model turns this result took: 1, or 2 when a repair turn was needed. */
  turns: number;
}

export interface LlmProvider {
  readonly name: ProviderName;
  /** The model name as reported in results (file name for llama, server model id for openai). */
  readonly model: string;
  /** Probes the server or loads the model. Idempotent; complete() calls it when needed. */
  start(): Promise<void>;
  /** Frees the model, context and native resources. Safe to call twice; start() may follow. */
  stop(): Promise<void>;
  /**
   * Unloads the model now (the desktop's "free memory now"); calls in flight end with an `aborted`
   * error and the next call loads again. True when a model was loaded or loading; the OpenAI provider
   * holds no model and always answers false.
   */
  freeMemory(): Promise<boolean>;
  /**
   * llm.context_size and llm.max_tokens as this provider uses them, `auto` resolved: from the loaded
   * model for llama (loading it if needed), a stated fallback for a server that reports no context.
   */
  sizing(): Promise<ContextSizing>;
  /** The same without loading anything: undefined while the embedded model is not loaded. */
  readonly sizingNow: ContextSizing | undefined;
  complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T>>;
}
