// Picks the provider llm.provider names. Creating one is cheap and loads nothing; start() does the work
// (and is where a missing model_path or an unreachable server is reported, never hidden by a default).
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { LlamaProvider } from './llama-provider';
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

/**
 * A path (absolute, or with a directory part, or ending in .gguf and existing) is used as given; a bare
 * name is looked up in the models folder as NAME or NAME.gguf. The result may not exist: the provider
 * says so, naming the file, when it starts.
 */
export function resolveModelFile(nameOrPath: string, modelsDir: string | undefined): string {
  const looksLikePath = isAbsolute(nameOrPath) || /[\\/]/.test(nameOrPath) || nameOrPath.startsWith('.');
  if (looksLikePath || modelsDir === undefined) return resolve(nameOrPath);
  const candidates = [join(modelsDir, nameOrPath), join(modelsDir, `${nameOrPath}.gguf`)];
  return candidates.find((c) => existsSync(c)) ?? (existsSync(nameOrPath) ? resolve(nameOrPath) : (candidates[0] ?? nameOrPath));
}
