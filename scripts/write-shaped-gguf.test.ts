// The realistic shapes load in the real node-llama-cpp binding and decode: each preset cut to one
// layer (every other dimension real), in each weight type, with grouped-query attention (1B) and with
// a real 32000-token vocabulary. Files are written to a temp dir and removed after each test.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlamaLogLevel, getLlama, readGgufFileInfo } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelShapes, shapedTensors, tensorBytes, weightBytesPerToken } from './gguf-shapes';
import type { PresetId, TensorTypeId } from './gguf-shapes';
import { tinyVocab } from './gguf-format';
import { paddedVocab, toHalf, writeShapedGguf } from './write-shaped-gguf';

let dir: string;
let llama: Llama;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nocturnal-shapes-'));
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});
afterAll(async () => {
  await llama.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface Meta {
  general: { name: string; file_type: number };
  llama: {
    embedding_length: number;
    block_count: number;
    feed_forward_length: number;
    attention: { head_count: number; head_count_kv: number };
  };
  tokenizer: { ggml: { tokens: string[] } };
}

async function loadsAndDecodes(preset: PresetId, type: TensorTypeId, vocab: 'real' | 'tiny'): Promise<void> {
  const path = join(dir, `${preset}-${type}-${vocab}.gguf`);
  try {
    const info = await writeShapedGguf(path, { shape: modelShapes[preset], type, layers: 1, vocab });
    const shape = modelShapes[preset];
    const expectedVocab = vocab === 'real' ? shape.vocabSize : tinyVocab().tokens.length;
    expect(info.vocabSize).toBe(expectedVocab);
    // The file is the header plus exactly the tensors' bytes (each aligned to 32).
    const dataBytes = shapedTensors({ ...shape, layers: 1 }, expectedVocab).reduce(
      (sum, t) => Math.ceil(sum / 32) * 32 + tensorBytes(t, type),
      0,
    );
    expect((await stat(path)).size).toBe(info.bytes);
    expect(info.bytes).toBeGreaterThan(dataBytes);
    expect(info.bytes - dataBytes).toBeLessThan(2_000_000);

    const file = await readGgufFileInfo(path);
    const meta = file.metadata as unknown as Meta;
    expect(meta.llama).toMatchObject({
      embedding_length: shape.embedding,
      block_count: 1,
      feed_forward_length: shape.feedForward,
      attention: { head_count: shape.heads, head_count_kv: shape.headsKv },
    });
    expect(meta.tokenizer.ggml.tokens).toHaveLength(expectedVocab);
    expect(meta.general.name).toBe(`nocturnal ${shape.name}, 1 layers`);

    const model = await llama.loadModel({ modelPath: path });
    try {
      expect(model.fileInsights.modelSize).toBeGreaterThan(0);
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      const sequence = context.getSequence();
      const generated: number[] = [];
      for await (const token of sequence.evaluate(model.tokenize('return a + b;'), { temperature: 0.8, seed: 1 })) {
        generated.push(token);
        if (generated.length === 4) break;
      }
      expect(generated).toHaveLength(4);
      for (const token of generated) expect(token).toBeLessThan(expectedVocab);
      await context.dispose();
    } finally {
      await model.dispose();
    }
  } finally {
    await rm(path, { force: true });
  }
}

describe('realistic GGUF shapes', () => {
  it('1B (grouped-query attention, 32 query / 4 KV heads) with its real 32000-token vocabulary, Q4_0', async () => {
    expect(modelShapes['1b'].headsKv).toBeLessThan(modelShapes['1b'].heads);
    await loadsAndDecodes('1b', 'q4_0', 'real');
  }, 120_000);

  it('1B in F16', async () => {
    await loadsAndDecodes('1b', 'f16', 'tiny');
  }, 120_000);

  it('7B (CodeLlama dimensions) in Q4_0', async () => {
    await loadsAndDecodes('7b', 'q4_0', 'tiny');
  }, 120_000);

  it('13B (40 heads, 5120 wide, 13824 feed-forward) in Q8_0', async () => {
    expect(modelShapes['13b']).toMatchObject({
      layers: 40,
      embedding: 5120,
      heads: 40,
      feedForward: 13824,
      vocabSize: 32016,
    });
    await loadsAndDecodes('13b', 'q8_0', 'tiny');
  }, 120_000);

  it('counts the bytes a token reads: a 13B Q4_0 reads 7.23 GB, 178.46 MB per layer', () => {
    // Per layer: (4 × 5120² + 3 × 5120 × 13824) weights × 18/32 bytes + two F32 norms of 5120.
    const layer = ((4 * 5120 * 5120 + 3 * 5120 * 13824) * 18) / 32 + 2 * 5120 * 4;
    // Outside the layers: the output matrix, its norm, and one row of the token embedding.
    const outside = (5120 * 32016 * 18) / 32 + 5120 * 4 + (5120 * 18) / 32;
    expect(layer).toBe(178_462_720);
    expect(weightBytesPerToken(modelShapes['13b'], 32016, 'q4_0')).toBe(40 * layer + outside);
    expect(weightBytesPerToken({ ...modelShapes['13b'], layers: 4 }, 32016, 'q4_0')).toBe(4 * layer + outside);
  });

  it("writes only the header when asked: the full file's first bytes, read by node-llama-cpp as the whole model", async () => {
    const full = join(dir, 'full.gguf');
    const head = join(dir, 'head.gguf');
    const options = { shape: modelShapes['1b'], type: 'q4_0' as const, layers: 1, vocab: 'tiny' as const };
    try {
      const whole = await writeShapedGguf(full, options);
      const header = await writeShapedGguf(head, { ...options, headerOnly: true });
      const headBytes = await readFile(head);
      expect(header.bytes).toBe(headBytes.length);
      expect(headBytes.length % 32).toBe(0);
      expect(headBytes.equals((await readFile(full)).subarray(0, headBytes.length))).toBe(true);
      expect(whole.bytes).toBeGreaterThan(100 * headBytes.length);
      const info = await readGgufFileInfo(head);
      expect(info.tensorInfo?.map((t) => t.name)).toEqual(
        shapedTensors({ ...modelShapes['1b'], layers: 1 }, header.vocabSize).map((t) => t.name),
      );
    } finally {
      await rm(full, { force: true });
      await rm(head, { force: true });
    }
  });

  it('pads the vocabulary with unique pieces and refuses one too small', () => {
    const vocab = paddedVocab(32000);
    expect(vocab.tokens).toHaveLength(32000);
    expect(new Set(vocab.tokens).size).toBe(32000);
    expect(() => paddedVocab(10)).toThrow('a vocabulary of 10 is smaller than');
  });

  it('writes halves exactly for representable values', () => {
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(0.5)).toBe(0x3800);
    expect(toHalf(0)).toBe(0);
  });
});
