// Fit estimates from real GGUF headers through node-llama-cpp's GgufInsights: a header with the shape
// of CodeLlama-13B (the product's default) on machines of different sizes, and the tiny test model.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { createTempDir } from '../git/testing/temp-repo';
import { estimateModelFit } from './model-fit';
import { modelShapes } from '../../../scripts/gguf-shapes';
import { writeShapedGguf } from '../../../scripts/write-shaped-gguf';

const gb = 1e9;
let dir: { path: string; cleanup(): Promise<void> };
let codeLlamaHeader: string;

beforeAll(async () => {
  dir = await createTempDir('nocturnal-fit-');
  codeLlamaHeader = join(dir.path, 'codellama-13b-shape.gguf');
  // The header of a CodeLlama-13B-shaped Q4_0 file (Q4_0 takes the bytes per weight of Q4_K: 4.5 bits),
  // with the real vocabulary: node-llama-cpp's GgufInsights reads only the header.
  await writeShapedGguf(codeLlamaHeader, { shape: modelShapes['13b'], type: 'q4_0', headerOnly: true });
});
afterAll(() => dir.cleanup());

const info = (file: string) => readGgufFileInfo(file, { sourceType: 'filesystem', logWarnings: false });

describe('estimateModelFit', () => {
  it('gives CodeLlama-13B its whole trained 16k context where the RAM allows it', async () => {
    const fit = await estimateModelFit(await info(codeLlamaHeader), {
      machine: { ramTotal: 32 * gb, ramFree: 28 * gb },
    });
    expect(fit).toMatchObject({ trainContextSize: 16384, contextSize: 16384, gpuLayers: 0, vramBytes: 0, fits: true });
    // Q4_K weights of 13B parameters: about 7.3 GB; with a 16k KV cache (~0.8 MB a token) well over 20 GB.
    expect(fit.modelBytes).toBeGreaterThan(7 * gb);
    expect(fit.modelBytes).toBeLessThan(7.6 * gb);
    expect(fit.ramBytes).toBeGreaterThan(20 * gb);
  });

  it('caps the context by the memory on a smaller machine, and says when it does not fit', async () => {
    const header = await info(codeLlamaHeader);
    const laptop = await estimateModelFit(header, { machine: { ramTotal: 16 * gb, ramFree: 12 * gb } });
    expect(laptop.contextSize).toBeGreaterThanOrEqual(4096);
    expect(laptop.contextSize).toBeLessThan(16384);
    // node-llama-cpp would still open that context, but weights and KV cache together exceed 16 GB.
    expect(laptop.ramBytes).toBeGreaterThan(16 * gb);
    expect(laptop.fits).toBe(false);
    // Two parallel attempts share the same memory, so each gets less.
    const two = await estimateModelFit(header, { machine: { ramTotal: 16 * gb, ramFree: 12 * gb }, sequences: 2 });
    expect(two.contextSize ?? 0).toBeLessThan(laptop.contextSize ?? 0);
    const tiny = await estimateModelFit(header, { machine: { ramTotal: 4 * gb, ramFree: 3 * gb } });
    expect(tiny.fits).toBe(false);
    expect(tiny.ramBytes).toBeGreaterThan(4 * gb);
    // Not even 512 tokens beside the weights on a 1 GB machine: no context at all.
    expect(await estimateModelFit(header, { machine: { ramTotal: 1 * gb, ramFree: 0.2 * gb } })).toMatchObject({
      contextSize: null,
      fits: false,
    });
  });

  it("reads the tiny test model's own header the same way", async () => {
    const fit = await estimateModelFit(await info(await ensureTinyModel()), {
      machine: { ramTotal: 8 * gb, ramFree: 6 * gb },
    });
    expect(fit).toMatchObject({ trainContextSize: 4096, contextSize: 4096, fits: true });
    expect(fit.modelBytes).toBeLessThan((await readFile(await ensureTinyModel())).length);
  });
});
