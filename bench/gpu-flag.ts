// `--gpu auto|cuda|vulkan|metal|false` for the LLM benchmarks, defaulting to the config's default
// (llm.gpu: auto), so a bench runs unchanged on a machine with a GPU and uses it there.
import { defaultConfig, llmSectionSchema } from '../src-shared/config/schema';
import type { LlmConfig } from '../src-shared/config/schema';
import { flag } from './shaped-model';

export function gpuFlag(argv: readonly string[]): LlmConfig['gpu'] {
  const text = flag(argv, '--gpu');
  if (text === undefined) return defaultConfig().llm.gpu;
  const parsed = llmSectionSchema.shape.gpu.safeParse(text === 'false' ? false : text);
  if (!parsed.success) throw new Error(`--gpu takes auto, cuda, vulkan, metal or false, got "${text}"`);
  return parsed.data;
}
