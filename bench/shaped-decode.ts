// Decode through our LlamaProvider on a realistic shape: `sequences` calls at once, each forced by
// the grammar to write one string of a fixed length, all on one loaded model through the provider's
// sequence pool (what parallel attempts do). Aggregate tokens/s = all tokens generated ÷ wall time
// from the first reply text to the last call's end.
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { LlmConfig } from '../src-shared/config/schema';
import { defaultConfig } from '../src-shared/config/schema';
import { LlamaProvider } from '../src-main/engine/llm/llama-provider';
import type { StructuredSchema } from '../src-main/engine/llm/protocol';
import { silentLogger } from '../src-main/engine/log/logger';

export interface ShapedDecodeRun {
  sequences: number;
  tokens: number;
  /** First reply text of any call to the end of the last. */
  decodeMs: number;
}

export function shapedDecodeConfig(modelPath: string, options: { gpu: LlmConfig['gpu']; threads: number }): LlmConfig {
  return {
    ...defaultConfig().llm,
    provider: 'llama',
    model_path: modelPath,
    gpu: options.gpu,
    threads: options.threads,
    context_size: 1024,
    temperature: 0.8,
    max_retries: 0,
  };
}

function textSchema(characters: number): StructuredSchema<{ text: string }> {
  return {
    name: 'nocturnal_bench_text',
    jsonSchema: {
      type: 'object',
      properties: { text: { type: 'string', minLength: characters, maxLength: characters } },
      required: ['text'],
      additionalProperties: false,
    },
    parse: z.object({ text: z.string() }),
  };
}

/** Starts a provider with `maxSequences` sequences; runs rounds at each requested concurrency. */
export async function measureShapedDecode(
  config: LlmConfig,
  maxSequences: number,
  concurrency: readonly number[],
  characters: number,
  log: (line: string) => void,
): Promise<ShapedDecodeRun[]> {
  const provider = new LlamaProvider({ config, log: silentLogger(), sequences: maxSequences });
  const schema = textSchema(characters);
  try {
    await provider.start();
    const call = async (seed: number, firstText: { at?: number }) => {
      const result = await provider.complete({
        messages: [
          { role: 'system', content: 'Reply with JSON only.' },
          { role: 'user', content: `Describe change number ${seed} to the repository in plain words.` },
        ],
        schema,
        options: {
          maxTokens: characters * 2 + 64,
          temperature: config.temperature,
          seed,
          onTextChunk: () => (firstText.at ??= performance.now()),
        },
      });
      return result.usage.completionTokens;
    };
    await call(0, {});
    const runs: ShapedDecodeRun[] = [];
    for (const n of concurrency) {
      const firstText: { at?: number } = {};
      const started = performance.now();
      const tokens = (await Promise.all(Array.from({ length: n }, (_, i) => call(100 * n + i, firstText)))).reduce(
        (a, b) => a + b,
        0,
      );
      const decodeMs = performance.now() - (firstText.at ?? started);
      runs.push({ sequences: n, tokens, decodeMs });
      log(
        `  ${n} sequence(s): ${tokens} tokens in ${(decodeMs / 1000).toFixed(2)} s → ${((tokens / decodeMs) * 1000).toFixed(2)} tok/s aggregate`,
      );
    }
    return runs;
  } finally {
    await provider.stop();
  }
}

export function aggregateTokensPerSecond(run: ShapedDecodeRun): number {
  return (run.tokens / run.decodeMs) * 1000;
}
