// llm.model_path → a file: a bare name is looked up in <home>/models (with or without .gguf), anything
// that looks like a path is taken as one. Kept apart from the providers so that callers which only need
// the path (the model manager, the session preflight) do not load node-llama-cpp.
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * A path (absolute, or with a directory part, or ending in .gguf and existing) is used as given; a bare
 * name is looked up in the models folder as NAME or NAME.gguf. The result may not exist: the provider
 * says so, naming the file, when it starts.
 */
export function resolveModelFile(nameOrPath: string, modelsDir: string | undefined): string {
  const looksLikePath = isAbsolute(nameOrPath) || /[\\/]/.test(nameOrPath) || nameOrPath.startsWith('.');
  if (looksLikePath || modelsDir === undefined) return resolve(nameOrPath);
  const candidates = [join(modelsDir, nameOrPath), join(modelsDir, `${nameOrPath}.gguf`)];
  return (
    candidates.find((c) => existsSync(c)) ??
    (existsSync(nameOrPath) ? resolve(nameOrPath) : (candidates[0] ?? nameOrPath))
  );
}
