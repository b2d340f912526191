// The size table must match the llama.cpp build that loads the models; the real binding says.
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import type { Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ggmlTypeSizes, tensorByteSize } from './ggml-type-sizes';

interface SizeBindings {
  getBlockSizeForGgmlType(type: number): number | undefined;
  getTypeSizeForGgmlType(type: number): number | undefined;
}

let llama: Llama;
beforeAll(async () => {
  llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
});
afterAll(() => llama.dispose());

describe('ggmlTypeSizes', () => {
  it('agrees with ggml_blck_size/ggml_type_size of the shipped llama.cpp for every type id', () => {
    // Internal to node-llama-cpp but stable: its own GGUF insights use it to size tensors.
    const bindings = (llama as unknown as { _bindings: SizeBindings })._bindings;
    for (let id = 0; id < 64; id++) {
      const blockSize = bindings.getBlockSizeForGgmlType(id) ?? 0;
      const typeSize = bindings.getTypeSizeForGgmlType(id) ?? 0;
      const ours = ggmlTypeSizes.get(id);
      if (blockSize === 0 || typeSize === 0) {
        expect(ours, `type ${id} is retired or unknown in llama.cpp`).toBeUndefined();
      } else {
        expect(ours && { blockSize: ours.blockSize, typeSize: ours.typeSize }, `type ${id}`).toEqual({ blockSize, typeSize });
      }
    }
  });

  it('sizes tensors by blocks', () => {
    expect(tensorByteSize(0, [64n, 2n])).toBe(512n);
    expect(tensorByteSize(12, [4096n, 4096n])).toBe((4096n * 4096n * 144n) / 256n);
    expect(tensorByteSize(4, [32n])).toBeUndefined();
  });
});
