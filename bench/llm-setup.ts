// What both LLM benchmarks share: the tiny model's config (CPU only, one thread, DESIGN §11) and a
// quiet logger. Kept here so the two measurements run on exactly the same settings.
import { ensureTinyModel } from '../scripts/tiny-model-fixture';
import { defaultConfig } from '../src-shared/config/schema';
import type { LlmConfig } from '../src-shared/config/schema';

export const benchThreads = 1;
export const benchContextSize = 4096;
export const benchTemperature = 0.8;

export async function tinyModelConfig(): Promise<LlmConfig> {
  const modelPath = await ensureTinyModel();
  return {
    ...defaultConfig().llm,
    provider: 'llama',
    model_path: modelPath,
    gpu: false,
    threads: benchThreads,
    context_size: benchContextSize,
    temperature: benchTemperature,
    max_retries: 0,
  };
}
