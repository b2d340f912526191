// Picks the provider llm.provider names. Creating one is cheap and loads no model; start() does the work
// (and is where a missing model_path or an unreachable server is reported, never hidden by a default).
// The provider modules are imported here, on demand: node-llama-cpp and openai take ~0.3 s to load,
// which commands that never call the model (`status`, `task list`) must not pay.
import { importNodeLlamaCpp } from './node-llama-cpp';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { resolveModelFile } from './resolve-model-file';
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

export async function createLlmProvider(config: LlmConfig, deps: LlmProviderDeps): Promise<LlmProvider> {
  if (config.provider === 'openai') {
    const { OpenAiProvider } = await import('./openai-provider');
    return new OpenAiProvider({ config, log: deps.log, ...(deps.env === undefined ? {} : { env: deps.env }) });
  }
  // Loaded first: the bundled CLI's llama modules read it instead of importing it (node-llama-cpp.ts).
  await importNodeLlamaCpp();
  const { LlamaProvider } = await import('./llama-provider');
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
