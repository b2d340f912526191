// Realistic model shapes for the LLM benchmarks (scripts/gguf-shapes.ts), generated once into a
// git-ignored cache under .fixtures/shapes/ and reused, so a bench run does not rewrite a gigabyte
// every time (delete .fixtures/shapes to reclaim the space). Each file is named by everything
// that shapes it, so a changed option never reuses a stale file.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelShapes, weightBytesPerToken } from '../scripts/gguf-shapes';
import type { ModelShape, PresetId, TensorTypeId } from '../scripts/gguf-shapes';
import { writeShapedGguf } from '../scripts/write-shaped-gguf';

const cacheDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), '.fixtures', 'shapes');

export interface ShapedModel {
  path: string;
  shape: ModelShape;
  type: TensorTypeId;
  vocabSize: number;
  /** Weight bytes one decode step reads (the memory-bandwidth bound's denominator). */
  bytesPerToken: number;
}

export async function shapedModel(preset: PresetId, layers: number, type: TensorTypeId = 'q4_0'): Promise<ShapedModel> {
  const shape = { ...modelShapes[preset], layers };
  const path = join(cacheDir, `${preset}-${layers}l-${type}-v${shape.vocabSize}.gguf`);
  if (!existsSync(path)) {
    await mkdir(cacheDir, { recursive: true });
    const started = Date.now();
    const info = await writeShapedGguf(path, { shape: modelShapes[preset], type, layers, vocab: 'real' });
    console.log(
      `  generated ${path} (${(info.bytes / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  return {
    path,
    shape,
    type,
    vocabSize: shape.vocabSize,
    bytesPerToken: weightBytesPerToken(shape, shape.vocabSize, type),
  };
}

/** `--name value` from argv, or the fallback. */
export function flag(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index < 0 ? undefined : argv[index + 1];
}

export function positiveIntFlag(argv: readonly string[], name: string, fallback: number): number {
  const text = flag(argv, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer, got "${text}"`);
  return value;
}
