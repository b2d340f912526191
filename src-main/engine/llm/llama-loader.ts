// Loads (and unloads) the embedded model: the llama.cpp backend for llm.gpu, the GGUF file, one
// context of llm.context_size tokens per sequence with llm.threads, the chat format from the model's
// metadata and the byte-token bias. Kept apart from the provider, which only deals with calls.
// llm.context_size `auto` is node-llama-cpp's own choice (GgufInsights on the real backend): the
// largest context up to the model's trained one that fits the memory left after the weights, for all
// the sequences; context-sizing.ts turns the result into the sizes the pipeline uses.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { LlamaLogLevel, getLlama } from 'node-llama-cpp';
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel, TokenBias } from 'node-llama-cpp';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { partialUtf8ByteBias } from './byte-token-bias';
import { resolveModelChatWrapper } from './chat-wrapper';
import { LlmError, rootCauseMessage } from './llm-error';
import { loadFailure } from './load-errors';

export interface LoadedModel {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  sequences: LlamaContextSequence[];
  byteBias: TokenBias | undefined;
  /** Resolved once per load: resolving from a Jinja template can take over a second. */
  chatWrapper: ChatWrapper;
  modelPath: string;
  modelName: string;
}

export interface LoadModelOptions {
  config: LlmConfig;
  /** llm.model_path turned into a file path. */
  modelPath: string;
  sequences: number;
  log: Logger;
  /** Aborting it cancels the load (free memory now while loading). */
  signal: AbortSignal;
  /** Load progress in [0, 1], never going back; 1 exactly once, when calls can be served. */
  onLoadProgress?: (progress: number) => void;
}

// Share of the progress bar for reading the weights; creating the context is the rest. The model
// file dominates the load time, and node-llama-cpp reports no progress for context creation.
const modelShareOfProgress = 0.9;
const recentLogLines = 20;

export async function loadLlamaModel(options: LoadModelOptions): Promise<LoadedModel> {
  const { config, modelPath, sequences, signal } = options;
  const modelName = basename(modelPath);
  const info = await stat(modelPath).catch(() => undefined);
  if (info === undefined || !info.isFile()) {
    throw new LlmError(
      'permanent',
      `the model file ${modelPath} (llm.model_path "${config.model_path ?? ''}") does not exist — pull or choose a model with \`nocturnal model\``,
    );
  }
  const progress = progressReporter(options.onLoadProgress);
  const recentLog: string[] = [];
  const llama = await createLlama(config.gpu, options.log, recentLog);
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  try {
    throwIfCancelled(signal);
    model = await llama.loadModel({
      modelPath,
      loadSignal: signal,
      onLoadProgress: (p) => progress(p * modelShareOfProgress),
    });
    const trained = model.trainContextSize;
    if (config.context_size !== 'auto' && config.context_size > trained) {
      throw new LlmError(
        'permanent',
        `llm.context_size is ${config.context_size} but ${modelName} was trained for ${trained} tokens; set llm.context_size to at most ${trained}`,
      );
    }
    context = await model.createContext({
      // `auto` never goes below 2048 tokens: a smaller context cannot hold a prompt worth sending.
      contextSize:
        config.context_size === 'auto' ? { min: Math.min(2048, trained), max: trained } : config.context_size,
      sequences,
      createSignal: signal,
      ...(config.threads > 0 ? { threads: config.threads } : {}),
    });
    const chatWrapper = resolveModelChatWrapper(model, modelName);
    const loaded: LoadedModel = {
      llama,
      model,
      context,
      sequences: Array.from({ length: sequences }, () => (context as LlamaContext).getSequence()),
      byteBias: partialUtf8ByteBias(model),
      chatWrapper,
      modelPath,
      modelName,
    };
    throwIfCancelled(signal);
    progress(1);
    options.log.info(
      {
        model: modelName,
        contextSize: context.contextSize,
        sequences,
        gpu: llama.gpu,
        threads: context.idealThreads,
        chatWrapper: chatWrapper.wrapperName,
      },
      'model loaded',
    );
    return loaded;
  } catch (error) {
    await context?.dispose().catch(() => undefined);
    await model?.dispose().catch(() => undefined);
    await llama.dispose().catch(() => undefined);
    if (signal.aborted) throw cancelledLoadError(error);
    throw loadFailure(error, { modelPath, gpu: config.gpu, contextSize: config.context_size, sequences, recentLog });
  }
}

export async function unloadLlamaModel(loaded: LoadedModel): Promise<void> {
  await loaded.context.dispose();
  await loaded.model.dispose();
  await loaded.llama.dispose();
}

async function createLlama(gpu: LlmConfig['gpu'], log: Logger, recentLog: string[]): Promise<Llama> {
  try {
    return await getLlama({
      gpu,
      // Offline and inside Electron nothing may be compiled: use the prebuilt binaries or fail.
      build: 'never',
      logLevel: LlamaLogLevel.warn,
      logger: (level, message) => {
        const text = message.trim();
        if (text === '') return;
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal || level === LlamaLogLevel.warn) {
          // Kept for load-errors.ts: llama.cpp's allocation failures only show up here.
          recentLog.push(text);
          if (recentLog.length > recentLogLines) recentLog.shift();
        }
        if (level === LlamaLogLevel.error || level === LlamaLogLevel.fatal) log.error({ source: 'llama.cpp' }, text);
        else if (level === LlamaLogLevel.warn) log.warn({ source: 'llama.cpp' }, text);
        else log.debug({ source: 'llama.cpp' }, text);
      },
    });
  } catch (error) {
    const hint = gpu === false ? '' : ` — try llm.gpu: ${gpu === 'auto' ? 'false' : 'auto'}`;
    throw new LlmError(
      'permanent',
      `cannot start llama.cpp with gpu ${String(gpu)}: ${rootCauseMessage(error)}${hint}`,
      { cause: error },
    );
  }
}

/** Clamps to [0, 1], drops steps backwards (node-llama-cpp may restart its count) and repeats. */
function progressReporter(listener: ((progress: number) => void) | undefined): (progress: number) => void {
  let last = -1;
  return (value) => {
    if (listener === undefined || last >= 1) return;
    const progress = Math.min(1, Math.max(0, value));
    if (progress <= last) return;
    last = progress;
    try {
      listener(progress);
    } catch {
      // A faulty progress display must not fail the load.
    }
  };
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelledLoadError(signal.reason);
}

function cancelledLoadError(cause: unknown): LlmError {
  return new LlmError(
    'aborted',
    'loading the model was cancelled because the model was unloaded (free memory or shutdown)',
    { cause },
  );
}
