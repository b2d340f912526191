// Decode speed through LlamaProvider.complete() versus node-llama-cpp driven directly with the same
// model file, prompt, grammar, token bias, chat format, maxTokens, seed, temperature and threads, so
// the ratio is the cost of our layer (context guard, sequence pool, usage, validation) alone.
//
// The tiny random model stops after a few dozen tokens when it may, which is too short to time. The
// grammar here forces a long reply instead: four strings of exactly 1000 characters each (about
// 1000 tokens in all). Four, because llama.cpp refuses a grammar that demands more than 2000
// repetitions of one rule.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LlamaChatSession, LlamaLogLevel, getLlama } from 'node-llama-cpp';
import { z } from 'zod';
import type { LlmConfig } from '../src-shared/config/schema';
import { partialUtf8ByteBias } from '../src-main/engine/llm/byte-token-bias';
import { resolveModelChatWrapper } from '../src-main/engine/llm/chat-wrapper';
import { toGrammarSchema } from '../src-main/engine/llm/grammar-schema';
import { LlamaProvider } from '../src-main/engine/llm/llama-provider';
import type { StructuredSchema } from '../src-main/engine/llm/protocol';
import { silentLogger } from '../src-main/engine/log/logger';

export const decodeStrings = 2;
export const decodeStringLength = 1000;
export const decodeMaxTokens = 3000;

const decodeSchema: StructuredSchema<{ paragraphs: string[] }> = {
  name: 'nocturnal_bench_decode',
  jsonSchema: {
    type: 'object',
    properties: {
      paragraphs: {
        type: 'array',
        items: { type: 'string', minLength: decodeStringLength, maxLength: decodeStringLength },
        minItems: decodeStrings,
        maxItems: decodeStrings,
      },
    },
    required: ['paragraphs'],
    additionalProperties: false,
  },
  parse: z.object({ paragraphs: z.array(z.string()) }),
};

const system = 'You are a technical writer. Reply with JSON only.';
const prompt = 'Write four paragraphs about keeping a night-shift coding agent safe on a shared machine.';

export interface DecodeRun {
  /** Tokens generated (the sequence token meter, the same count on both sides). */
  tokens: number;
  /** Start of the call to its end. */
  totalMs: number;
  /** First reply text to the end of the call: generation only. */
  decodeMs: number;
}

export interface DecodeSide {
  runs: DecodeRun[];
}

export interface DecodeResult {
  ours: DecodeSide;
  direct: DecodeSide;
}

export function decodeTokensPerSecond(run: DecodeRun): number {
  return ((run.tokens - 1) / run.decodeMs) * 1000;
}

export function endToEndTokensPerSecond(run: DecodeRun): number {
  return (run.tokens / run.totalMs) * 1000;
}

export async function measureDecode(
  config: LlmConfig,
  rounds: number,
  log: (line: string) => void,
): Promise<DecodeResult> {
  const modelPath = config.model_path ?? '';
  const provider = new LlamaProvider({ config, log: silentLogger() });
  const direct = await createDirect(config, modelPath);
  try {
    await provider.start();
    const ours = async (seed: number): Promise<DecodeRun> => {
      let firstChunkAt: number | undefined;
      const started = performance.now();
      const result = await provider.complete({
        messages: [
          { role: 'system', content: system },
          { role: 'user', content: prompt },
        ],
        schema: decodeSchema,
        options: {
          maxTokens: decodeMaxTokens,
          temperature: config.temperature,
          seed,
          onTextChunk: () => {
            firstChunkAt ??= performance.now();
          },
        },
      });
      const ended = performance.now();
      return {
        tokens: result.usage.completionTokens,
        totalMs: ended - started,
        decodeMs: ended - (firstChunkAt ?? started),
      };
    };

    // One warm-up each (first-call allocations, grammar compilation), then rounds in alternating
    // order so that neither side always runs on a warmer machine.
    await ours(0);
    await direct.run(0);
    const result: DecodeResult = { ours: { runs: [] }, direct: { runs: [] } };
    for (let round = 1; round <= rounds; round++) {
      const seed = round;
      let oursRun: DecodeRun;
      let directRun: DecodeRun;
      if (round % 2 === 1) {
        oursRun = await ours(seed);
        directRun = await direct.run(seed);
      } else {
        directRun = await direct.run(seed);
        oursRun = await ours(seed);
      }
      result.ours.runs.push(oursRun);
      result.direct.runs.push(directRun);
      log(
        `  round ${round}: ours ${oursRun.tokens} tokens ${decodeTokensPerSecond(oursRun).toFixed(1)} tok/s, ` +
          `direct ${directRun.tokens} tokens ${decodeTokensPerSecond(directRun).toFixed(1)} tok/s, ` +
          `ratio ${(decodeTokensPerSecond(oursRun) / decodeTokensPerSecond(directRun)).toFixed(3)}`,
      );
    }
    return result;
  } finally {
    await provider.stop();
    await direct.dispose();
  }
}

interface Direct {
  run(seed: number): Promise<DecodeRun>;
  dispose(): Promise<void>;
}

async function createDirect(config: LlmConfig, modelPath: string): Promise<Direct> {
  const llama = await getLlama({ gpu: config.gpu, build: 'never', logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: config.context_size, threads: config.threads });
  const sequence = context.getSequence();
  // The same chat format and byte bias the provider uses, so both sides generate the same tokens.
  const chatWrapper = resolveModelChatWrapper(model, basename(modelPath));
  const tokenBias = partialUtf8ByteBias(model);
  const grammar = await llama.createGrammarForJsonSchema(toGrammarSchema(decodeSchema.jsonSchema));
  return {
    async run(seed) {
      const session = new LlamaChatSession({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
      session.setChatHistory([{ type: 'system', text: system }]);
      const before = sequence.tokenMeter.getState();
      let firstChunkAt: number | undefined;
      const started = performance.now();
      await session.promptWithMeta(prompt, {
        grammar,
        maxTokens: decodeMaxTokens,
        temperature: config.temperature,
        seed,
        ...(tokenBias === undefined ? {} : { tokenBias }),
        onTextChunk: () => {
          firstChunkAt ??= performance.now();
        },
      });
      const ended = performance.now();
      session.dispose({ disposeSequence: false });
      return {
        tokens: sequence.tokenMeter.diff(before).usedOutputTokens,
        totalMs: ended - started,
        decodeMs: ended - (firstChunkAt ?? started),
      };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}
