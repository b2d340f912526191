// The embedded provider: llama.cpp through node-llama-cpp. Nothing is loaded until start() or the
// first call (DESIGN principle 6, quiet by day); freeMemory()/stop() unload it again at once.
//
// One model and one context serve all callers; the context has `sequences` slots, lent out through a
// SequencePool so parallel attempts run side by side. Every call is constrained by a grammar compiled
// from the protocol schema, so the reply is JSON of the right shape by construction; it is still
// parsed and zod-validated like any other reply. Before generating, the prompt is counted and refused
// when prompt + maxTokens would not fit the sequence (a real guard, never silent truncation).
import { basename } from 'node:path';
import { LlamaChatSession } from 'node-llama-cpp';
import type { ChatHistoryItem, LlamaContextSequence, LlamaGpuType, LlamaGrammar } from 'node-llama-cpp';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { resolveSizing } from './context-sizing';
import type { ContextSizing } from './context-sizing';
import { toGrammarSchema } from './grammar-schema';
import { loadLlamaModel, unloadLlamaModel } from './llama-loader';
import type { LoadedModel } from './llama-loader';
import { splitMessages } from './llama-messages';
import { LlmError, isLlmError, rootCauseMessage } from './llm-error';
import type { CompletionRequest, CompletionResult, CompletionUsage, LlmProvider } from './provider';
import type { StructuredSchema } from './protocol';
import { parseStructuredReply } from './reply-parser';
import { abortedError, defaultRetryTiming, withRetry } from './retry';
import type { RetryDeps, RetryPolicy } from './retry';
import { SequencePool } from './sequence-pool';

export interface LlamaProviderOptions {
  config: LlmConfig;
  log: Logger;
  /** Turns llm.model_path (a name or a path) into an absolute file path. */
  resolveModelPath?: (nameOrPath: string) => string;
  /** Context sequences, i.e. how many calls can generate at the same time. Default 1. */
  sequences?: number;
  /**
   * Load progress in [0, 1] for a progress bar (the desktop, `nocturnal`): rises while the weights
   * are read, then 1 exactly once when the model can take calls. Called again on a reload.
   */
  onLoadProgress?: (progress: number) => void;
  /** Backoff timing and injectable sleep/random (tests). */
  retry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>> & Pick<RetryDeps, 'sleep' | 'random'>;
}

/** What is loaded, as the status views and logs describe it. */
export interface LlamaModelInfo {
  model: string;
  modelPath: string;
  /** Tokens per sequence. */
  contextSize: number;
  trainContextSize: number;
  sequences: number;
  /** The backend in use: false for CPU only. */
  gpu: LlamaGpuType;
  /** CPU threads the context evaluates with (llm.threads; llama.cpp's choice when 0). */
  threads: number;
  /** node-llama-cpp's name for the chat format, e.g. "Llama2Chat". */
  chatWrapper: string;
  /** llm.context_size / llm.max_tokens as used, `auto` resolved from this model. */
  sizing: ContextSizing;
}

interface Loaded {
  model: LoadedModel;
  pool: SequencePool<LlamaContextSequence>;
  /** Compiled per load: a grammar belongs to the llama.cpp backend it was built with. */
  grammars: Map<string, Promise<LlamaGrammar>>;
}

export class LlamaProvider implements LlmProvider {
  readonly name = 'llama' as const;
  private readonly config: LlmConfig;
  private readonly log: Logger;
  private readonly resolveModelPath: (nameOrPath: string) => string;
  private readonly sequences: number;
  private readonly onLoadProgress: ((progress: number) => void) | undefined;
  private readonly retryOptions: LlamaProviderOptions['retry'];
  private loading: Promise<Loaded> | undefined;
  private loadController: AbortController | undefined;
  private loaded: Loaded | undefined;
  /** Calls in flight, each with the controller freeMemory() aborts. */
  private readonly inFlight = new Map<AbortController, Promise<unknown>>();
  /** The last unload; a new load waits for it so two models never sit in memory at once. */
  private unloading: Promise<void> = Promise.resolve();
  private modelName: string;

  constructor(options: LlamaProviderOptions) {
    this.config = options.config;
    this.log = options.log;
    this.resolveModelPath = options.resolveModelPath ?? ((p) => p);
    this.sequences = options.sequences ?? 1;
    this.onLoadProgress = options.onLoadProgress;
    this.retryOptions = options.retry;
    if (!Number.isInteger(this.sequences) || this.sequences < 1)
      throw new Error('sequences must be a positive integer');
    this.modelName = options.config.model_path === null ? 'unset' : basename(options.config.model_path);
  }

  get model(): string {
    return this.modelName;
  }

  /** Tokens per sequence, once started. */
  get contextSize(): number | undefined {
    return this.loaded?.model.context.contextSize;
  }

  /** The loaded model, or undefined while nothing is loaded. */
  get info(): LlamaModelInfo | undefined {
    const loaded = this.loaded?.model;
    if (loaded === undefined) return undefined;
    return {
      model: loaded.modelName,
      modelPath: loaded.modelPath,
      contextSize: loaded.context.contextSize,
      trainContextSize: loaded.model.trainContextSize,
      sequences: loaded.sequences.length,
      gpu: loaded.llama.gpu,
      threads: loaded.context.idealThreads,
      chatWrapper: loaded.chatWrapper.wrapperName,
      sizing: this.sizingOf(loaded),
    };
  }

  get sizingNow(): ContextSizing | undefined {
    return this.loaded === undefined ? undefined : this.sizingOf(this.loaded.model);
  }

  async sizing(): Promise<ContextSizing> {
    return this.sizingOf((await this.ensureLoaded()).model);
  }

  private sizingOf(loaded: LoadedModel): ContextSizing {
    return resolveSizing(this.config, {
      contextSize: loaded.context.contextSize,
      trainContextSize: loaded.model.trainContextSize,
    });
  }

  async start(): Promise<void> {
    await this.ensureLoaded();
  }

  async stop(): Promise<void> {
    await this.freeMemory();
  }

  async freeMemory(): Promise<boolean> {
    const loading = this.loading;
    const unloaded = new Error('the model was unloaded to free memory');
    this.loadController?.abort(unloaded);
    this.loading = undefined;
    this.loadController = undefined;
    this.loaded = undefined;
    const calls = [...this.inFlight.values()];
    for (const controller of this.inFlight.keys()) controller.abort(unloaded);
    const previous = this.unloading;
    const unloading = (async () => {
      await previous;
      // Native resources must not be freed under a generation that is still winding down.
      await Promise.all(calls);
      if (loading === undefined) return false;
      const loaded = await loading.catch(() => undefined);
      if (loaded !== undefined) {
        await unloadLlamaModel(loaded.model);
        this.log.info({ model: this.modelName }, 'model unloaded');
      }
      return true;
    })();
    this.unloading = unloading.then(
      () => undefined,
      () => undefined,
    );
    return unloading;
  }

  complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T>> {
    const unload = new AbortController();
    const { signal } = request.options;
    const cancel = signal === undefined ? unload.signal : AbortSignal.any([signal, unload.signal]);
    // Only transient failures (a decode that failed) are retried. A timeout is not: on the same
    // machine the same prompt would be just as slow, and the task's time is better spent elsewhere.
    const run = withRetry(this.policy(), () => this.attempt(request, unload.signal), {
      signal: cancel,
      retryOn: (error) => error.kind === 'transient',
      ...(this.retryOptions?.sleep === undefined ? {} : { sleep: this.retryOptions.sleep }),
      ...(this.retryOptions?.random === undefined ? {} : { random: this.retryOptions.random }),
      onRetry: ({ attempt, delayMs, error }) =>
        this.log.warn({ attempt, delayMs, error: error.message }, 'embedded model call failed; retrying'),
    });
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(unload, settled);
    void settled.then(() => this.inFlight.delete(unload));
    return run;
  }

  private async attempt<T>(request: CompletionRequest<T>, unloadSignal: AbortSignal): Promise<CompletionResult<T>> {
    const { options, schema } = request;
    const timeoutMs = options.timeoutMs ?? this.config.timeout_s * 1000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    // One signal for the caller's abort, our per-call timeout and unloading, told apart afterwards.
    const signal = AbortSignal.any([
      timeout.signal,
      unloadSignal,
      ...(options.signal === undefined ? [] : [options.signal]),
    ]);
    const failure = (error: unknown): LlmError => {
      if (options.signal?.aborted === true) return abortedError(options.signal);
      if (unloadSignal.aborted) return abortedError(unloadSignal);
      if (timeout.signal.aborted) {
        return new LlmError(
          'timeout',
          `the embedded model did not finish within ${formatSeconds(timeoutMs)} (llm.timeout_s)`,
          { cause: error },
        );
      }
      if (isLlmError(error)) return error;
      return new LlmError('transient', `the embedded model failed: ${rootCauseMessage(error)}`, { cause: error });
    };

    const started = Date.now();
    let lease;
    let loaded: Loaded;
    try {
      loaded = await untilAborted(this.ensureLoaded(), signal);
      lease = await loaded.pool.acquire(request.conversationId, signal);
    } catch (error) {
      clearTimeout(timer);
      throw failure(error);
    }
    const { model, byteBias, chatWrapper } = loaded.model;
    const sequence = lease.sequence;
    const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
    try {
      const grammar = await this.grammarFor(schema, loaded);
      const { system, history, prompt } = splitMessages(request.messages);
      const chatHistory: ChatHistoryItem[] = [
        ...(system === undefined ? [] : [{ type: 'system' as const, text: system }]),
        ...history,
      ];
      session.setChatHistory(chatHistory);
      // The context guard: the prompt exactly as the chat wrapper will lay it out, counted in tokens.
      const promptTokenList = chatWrapper
        .generateContextState({
          chatHistory: [...chatHistory, { type: 'user', text: prompt }, { type: 'model', response: [] }],
        })
        .contextText.tokenize(model.tokenizer);
      const promptTokens = promptTokenList.length;
      const contextSize = sequence.contextSize;
      if (promptTokens + options.maxTokens > contextSize) {
        throw new LlmError(
          'context_overflow',
          `the prompt is ${promptTokens} tokens and the reply may take ${options.maxTokens} more (max tokens), which does not fit the model's context of ${contextSize} tokens (llm.context_size) — send less context or raise llm.context_size`,
        );
      }
      // The prefix this sequence already holds (an earlier turn of the same conversation) is reused
      // from the KV cache by node-llama-cpp instead of being evaluated again. What was evaluated is
      // read off the sequence's token meter, which only this call uses while it holds the lease:
      // tokens evaluated for logits are the last prompt token and every generated token fed back, so
      // they number exactly the tokens generated; the rest of the prompt is the other kind.
      const meterBefore = sequence.tokenMeter.getState();
      let firstTokenAt: number | undefined;
      const reply = await session.promptWithMeta(prompt, {
        grammar,
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.stop === undefined || options.stop.length === 0 ? {} : { customStopTriggers: options.stop }),
        ...(byteBias === undefined ? {} : { tokenBias: byteBias }),
        signal,
        onToken: () => {
          firstTokenAt ??= Date.now();
        },
        ...(options.onTextChunk === undefined ? {} : { onTextChunk: options.onTextChunk }),
      });
      const used = sequence.tokenMeter.diff(meterBefore);
      const promptEvaluated = used.usedInputTokens + Math.min(1, used.usedOutputTokens);
      const usage: CompletionUsage = {
        promptTokens,
        completionTokens: used.usedOutputTokens,
        cachedTokens: Math.max(0, promptTokens - promptEvaluated),
        durationMs: Date.now() - started,
        ...(firstTokenAt === undefined ? {} : { timeToFirstTokenMs: firstTokenAt - started }),
      };
      if (reply.stopReason === 'maxTokens') {
        throw new LlmError(
          'invalid_output',
          `the model's reply to ${schema.name} was cut off at ${options.maxTokens} tokens (max tokens) before the JSON was complete`,
        );
      }
      const value = parseStructuredReply(schema, reply.responseText);
      this.log.debug({ schema: schema.name, model: this.modelName, ...usage }, 'model call finished');
      return { value, rawText: reply.responseText, usage, provider: 'llama', model: this.modelName, turns: 1 };
    } catch (error) {
      throw failure(error);
    } finally {
      clearTimeout(timer);
      session.dispose({ disposeSequence: false });
      lease.release();
    }
  }

  private grammarFor<T>(schema: StructuredSchema<T>, loaded: Loaded): Promise<LlamaGrammar> {
    // Keyed by the schema itself too: two schemas that share a name by mistake must not share a grammar.
    const key = `${schema.name}\n${JSON.stringify(schema.jsonSchema)}`;
    let grammar = loaded.grammars.get(key);
    if (grammar === undefined) {
      // A schema the grammar compiler rejects is a bug in the schema, not worth a retry.
      grammar = Promise.resolve()
        .then(() => loaded.model.llama.createGrammarForJsonSchema(toGrammarSchema(schema.jsonSchema)))
        .catch((error: unknown) => {
          throw new LlmError(
            'permanent',
            `cannot turn the ${schema.name} schema into a grammar: ${rootCauseMessage(error)}`,
            { cause: error },
          );
        });
      loaded.grammars.set(key, grammar);
      // A schema that fails to compile must not poison the cache for a corrected one.
      grammar.catch(() => loaded.grammars.delete(key));
    }
    return grammar;
  }

  private ensureLoaded(): Promise<Loaded> {
    if (this.loading !== undefined) return this.loading;
    const controller = new AbortController();
    const loading = this.load(controller.signal).then(
      (loaded) => {
        if (this.loading === loading) this.loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        if (this.loading === loading) {
          this.loading = undefined;
          this.loadController = undefined;
        }
        throw error;
      },
    );
    this.loading = loading;
    this.loadController = controller;
    return loading;
  }

  private async load(signal: AbortSignal): Promise<Loaded> {
    const configured = this.config.model_path;
    if (configured === null) {
      throw new LlmError(
        'permanent',
        'llm.model_path is not set: choose a GGUF model with `nocturnal model use NAME_OR_PATH` (or fetch one with `nocturnal model pull URI`), or set llm.provider to openai',
      );
    }
    const modelPath = this.resolveModelPath(configured);
    this.modelName = basename(modelPath);
    await this.unloading;
    const model = await loadLlamaModel({
      config: this.config,
      modelPath,
      sequences: this.sequences,
      log: this.log,
      signal,
      ...(this.onLoadProgress === undefined ? {} : { onLoadProgress: this.onLoadProgress }),
    });
    return { model, pool: new SequencePool(model.sequences), grammars: new Map() };
  }

  private policy(): RetryPolicy {
    return {
      maxRetries: this.config.max_retries,
      baseDelayMs: this.retryOptions?.baseDelayMs ?? defaultRetryTiming.baseDelayMs,
      maxDelayMs: this.retryOptions?.maxDelayMs ?? defaultRetryTiming.maxDelayMs,
    };
  }
}

/** Waits for `promise` but gives up, with the signal's reason, when the signal fires first. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
