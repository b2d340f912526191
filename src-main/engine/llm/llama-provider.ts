// The embedded provider: llama.cpp through node-llama-cpp. Nothing is loaded until start() (DESIGN
// principle 6, quiet by day); stop() frees the context, the model and the native backend.
//
// One model and one context serve all callers; the context has `sequences` slots, lent out through a
// SequencePool so parallel attempts run side by side. Every call is constrained by a grammar compiled
// from the protocol schema, so the reply is JSON of the right shape by construction; it is still
// parsed and zod-validated like any other reply. Before generating, the prompt is counted and refused
// when prompt + maxTokens would not fit the sequence (a real guard, never silent truncation).
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { LlamaChatSession, LlamaLogLevel, getLlama, resolveChatWrapper } from 'node-llama-cpp';
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, TokenBias } from 'node-llama-cpp';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { partialUtf8ByteBias } from './byte-token-bias';
import { toGrammarSchema } from './grammar-schema';
import { LlmError, isLlmError, rootCauseMessage } from './llm-error';
import type { ChatMessage, CompletionRequest, CompletionResult, LlmProvider } from './provider';
import type { StructuredSchema } from './protocol';
import { parseStructuredReply } from './reply-parser';
import { abortedError } from './retry';
import { SequencePool } from './sequence-pool';

export interface LlamaProviderOptions {
  config: LlmConfig;
  log: Logger;
  /** Turns llm.model_path (a name or a path) into an absolute file path. */
  resolveModelPath?: (nameOrPath: string) => string;
  /** Context sequences, i.e. how many calls can generate at the same time. Default 1. */
  sequences?: number;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  pool: SequencePool<LlamaContextSequence>;
  byteBias: TokenBias | undefined;
  /** Resolved once: resolving from the model's Jinja template takes over a second each time. */
  chatWrapper: ChatWrapper;
  modelPath: string;
}

export class LlamaProvider implements LlmProvider {
  readonly name = 'llama' as const;
  private readonly config: LlmConfig;
  private readonly log: Logger;
  private readonly resolveModelPath: (nameOrPath: string) => string;
  private readonly sequences: number;
  private loading: Promise<Loaded> | undefined;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private modelName: string;

  constructor(options: LlamaProviderOptions) {
    this.config = options.config;
    this.log = options.log;
    this.resolveModelPath = options.resolveModelPath ?? ((p) => p);
    this.sequences = options.sequences ?? 1;
    if (!Number.isInteger(this.sequences) || this.sequences < 1) throw new Error('sequences must be a positive integer');
    this.modelName = options.config.model_path === null ? 'unset' : basename(options.config.model_path);
  }

  get model(): string {
    return this.modelName;
  }

  /** Tokens per sequence, once started. */
  get contextSize(): number | undefined {
    return this.loaded?.context.contextSize;
  }

  private loaded: Loaded | undefined;

  async start(): Promise<void> {
    await this.ensureLoaded();
  }

  async stop(): Promise<void> {
    const loading = this.loading;
    this.loading = undefined;
    this.loaded = undefined;
    this.grammars.clear();
    if (loading === undefined) return;
    const loaded = await loading.catch(() => undefined);
    if (loaded === undefined) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
    this.log.info({ model: this.modelName }, 'model unloaded');
  }

  async complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T>> {
    const { options, schema } = request;
    const loaded = await this.ensureLoaded();
    const { system, history, prompt } = splitMessages(request.messages);
    const grammar = await this.grammarFor(schema, loaded.llama);

    // One signal for both the caller's abort and our per-call timeout, told apart afterwards.
    const timeoutMs = options.timeoutMs ?? this.config.timeout_s * 1000;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), timeoutMs);
    const signal = options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal]);
    const started = Date.now();
    let lease;
    try {
      lease = await loaded.pool.acquire(request.conversationId, signal);
    } catch (error) {
      clearTimeout(timer);
      throw this.failure(error, options.signal, timeout.signal, timeoutMs);
    }
    const sequence = lease.sequence;
    const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper: loaded.chatWrapper, autoDisposeSequence: false });
    try {
      const chatHistory: ChatHistoryItem[] = [...(system === undefined ? [] : [{ type: 'system' as const, text: system }]), ...history];
      session.setChatHistory(chatHistory);
      const promptTokenList = session.chatWrapper
        .generateContextState({ chatHistory: [...chatHistory, { type: 'user', text: prompt }, { type: 'model', response: [] }] })
        .contextText.tokenize(loaded.model.tokenizer);
      const promptTokens = promptTokenList.length;
      const contextSize = sequence.contextSize;
      if (promptTokens + options.maxTokens > contextSize) {
        throw new LlmError(
          'context_overflow',
          `the prompt is ${promptTokens} tokens and the reply may take ${options.maxTokens} more (max tokens), which does not fit the model's context of ${contextSize} tokens (llm.context_size) — send less context or raise llm.context_size`,
        );
      }
      // The prefix this sequence already holds (an earlier turn of the same conversation) is reused
      // from the KV cache by node-llama-cpp instead of being evaluated again.
      const cachedTokens = sequence.compareContextTokens(promptTokenList).firstDifferentIndex;
      let firstTokenAt: number | undefined;
      const reply = await session.promptWithMeta(prompt, {
        grammar,
        maxTokens: options.maxTokens,
        temperature: options.temperature,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(options.stop === undefined || options.stop.length === 0 ? {} : { customStopTriggers: options.stop }),
        ...(loaded.byteBias === undefined ? {} : { tokenBias: loaded.byteBias }),
        signal,
        onTextChunk: (chunk) => {
          firstTokenAt ??= Date.now();
          options.onTextChunk?.(chunk);
        },
      });
      const durationMs = Date.now() - started;
      const completionTokens = loaded.model.tokenize(reply.responseText).length;
      const usage = {
        promptTokens,
        completionTokens,
        cachedTokens,
        durationMs,
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
      throw this.failure(error, options.signal, timeout.signal, timeoutMs);
    } finally {
      clearTimeout(timer);
      session.dispose({ disposeSequence: false });
      lease.release();
    }
  }

  private failure(error: unknown, callerSignal: AbortSignal | undefined, timeoutSignal: AbortSignal, timeoutMs: number): LlmError {
    if (callerSignal?.aborted === true) return abortedError(callerSignal);
    if (timeoutSignal.aborted) {
      return new LlmError('timeout', `the embedded model did not finish within ${Math.round(timeoutMs / 1000)}s (llm.timeout_s)`, { cause: error });
    }
    if (isLlmError(error)) return error;
    return new LlmError('transient', `the embedded model failed: ${rootCauseMessage(error)}`, { cause: error });
  }

  private grammarFor<T>(schema: StructuredSchema<T>, llama: Llama): Promise<LlamaGrammar> {
    let grammar = this.grammars.get(schema.name);
    if (grammar === undefined) {
      grammar = llama.createGrammarForJsonSchema(toGrammarSchema(schema.jsonSchema));
      this.grammars.set(schema.name, grammar);
      // A schema that fails to compile must not poison the cache for a corrected one.
      grammar.catch(() => this.grammars.delete(schema.name));
    }
    return grammar;
  }

  private ensureLoaded(): Promise<Loaded> {
    this.loading ??= this.load().then(
      (loaded) => {
        this.loaded = loaded;
        return loaded;
      },
      (error: unknown) => {
        this.loading = undefined;
        throw error;
      },
    );
    return this.loading;
  }

  private async load(): Promise<Loaded> {
    const configured = this.config.model_path;
    if (configured === null) {
      throw new LlmError(
        'permanent',
        'llm.model_path is not set: choose a GGUF model with `nocturnal model use NAME_OR_PATH` (or fetch one with `nocturnal model pull URI`), or set llm.provider to openai',
      );
    }
    const modelPath = this.resolveModelPath(configured);
    this.modelName = basename(modelPath);
    const info = await stat(modelPath).catch(() => undefined);
    if (info === undefined || !info.isFile()) {
      throw new LlmError('permanent', `the model file ${modelPath} (llm.model_path "${configured}") does not exist — pull or choose a model with \`nocturnal model\``);
    }

    const llama = await this.createLlama();
    let model: LlamaModel | undefined;
    try {
      model = await llama.loadModel({ modelPath });
      const trained = model.trainContextSize;
      if (this.config.context_size > trained) {
        throw new LlmError(
          'permanent',
          `llm.context_size is ${this.config.context_size} but ${this.modelName} was trained for ${trained} tokens; set llm.context_size to at most ${trained}`,
        );
      }
      const context = await model.createContext({
        contextSize: this.config.context_size,
        sequences: this.sequences,
        ...(this.config.threads > 0 ? { threads: this.config.threads } : {}),
      });
      const sequences = Array.from({ length: this.sequences }, () => context.getSequence());
      const chatWrapper = resolveChatWrapper(model);
      this.log.info(
        { model: this.modelName, contextSize: context.contextSize, sequences: this.sequences, gpu: llama.gpu, threads: this.config.threads, chatWrapper: chatWrapper.wrapperName },
        'model loaded',
      );
      return { llama, model, context, pool: new SequencePool(sequences), byteBias: partialUtf8ByteBias(model), chatWrapper, modelPath };
    } catch (error) {
      await model?.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
      if (isLlmError(error)) throw error;
      throw new LlmError('permanent', `cannot load the model ${modelPath}: ${rootCauseMessage(error)}`, { cause: error });
    }
  }

  private async createLlama(): Promise<Llama> {
    const gpu = this.config.gpu;
    try {
      return await getLlama({
        gpu,
        // Offline and inside Electron nothing may be compiled: use the prebuilt binaries or fail.
        build: 'never',
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          const text = message.trim();
          if (text === '') return;
          if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) this.log.error({ source: 'llama.cpp' }, text);
          else if (level === LlamaLogLevel.warn) this.log.warn({ source: 'llama.cpp' }, text);
          else this.log.debug({ source: 'llama.cpp' }, text);
        },
      });
    } catch (error) {
      const hint = gpu === false ? '' : ` — try llm.gpu: ${gpu === 'auto' ? 'false' : 'auto'}`;
      throw new LlmError('permanent', `cannot start llama.cpp with gpu ${String(gpu)}: ${rootCauseMessage(error)}${hint}`, { cause: error });
    }
  }
}

/**
 * Chat messages → node-llama-cpp history. The last message must be the user's (it is the prompt);
 * a leading system message becomes the system prompt; consecutive messages of one role are joined,
 * since chat templates expect strictly alternating turns.
 */
export function splitMessages(messages: ChatMessage[]): { system: string | undefined; history: ChatHistoryItem[]; prompt: string } {
  const merged: ChatMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last !== undefined && last.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else merged.push({ ...message });
  }
  let system: string | undefined;
  if (merged[0]?.role === 'system') system = merged.shift()?.content;
  const last = merged.pop();
  if (last === undefined || last.role !== 'user') {
    throw new LlmError('permanent', 'a model call needs a user message last; the conversation ends with ' + (last === undefined ? 'nothing' : `a ${last.role} message`));
  }
  if (merged.some((m) => m.role === 'system')) {
    throw new LlmError('permanent', 'a system message may only come first in a model call');
  }
  const history: ChatHistoryItem[] = merged.map((m) =>
    m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] },
  );
  return { system, history, prompt: last.content };
}
