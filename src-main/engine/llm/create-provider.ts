// Picks the provider llm.provider names. Creating one is cheap and loads nothing; start() does the work
// (and is where a missing model_path or an unreachable server is reported, never hidden by a default).
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { LlamaProvider } from './llama-provider';
import { resolveModelFile } from './resolve-model-file';
import { OpenAiProvider } from './openai-provider';
import type { LlmProvider } from './provider';

export interface LlmProviderDeps {
  log: Logger;
  /** Turns llm.model_path into a file path; by default see resolveModelFile(). */
  resolveModelPath?: (nameOrPath: string) => string;
  /** Where `nocturnal model pull` puts models (<home>/models); names are looked up there. */
  modelsDir?: string;
  /** Parallel generations the embedded model serves (parallel.max_parallel_attempts). Default 1. */
  sequences?: number;
  /** Environment for the API key lookup; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Embedded model load progress in [0, 1] (see LlamaProviderOptions.onLoadProgress). */
  onLoadProgress?: (progress: number) => void;
}

export function createLlmProvider(config: LlmConfig, deps: LlmProviderDeps): LlmProvider {
  if (config.provider === 'openai') {
    return new OpenAiProvider({ config, log: deps.log, ...(deps.env === undefined ? {} : { env: deps.env }) });
  }
  const modelsDir = deps.modelsDir;
  return new LlamaProvider({
    config,
    log: deps.log,
    resolveModelPath: deps.resolveModelPath ?? ((nameOrPath) => resolveModelFile(nameOrPath, modelsDir)),
    ...(deps.sequences === undefined ? {} : { sequences: deps.sequences }),
    ...(deps.onLoadProgress === undefined ? {} : { onLoadProgress: deps.onLoadProgress }),
  });
}

export { resolveModelFile } from './resolve-model-file';
