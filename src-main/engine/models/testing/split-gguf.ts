// Models as llama.cpp's gguf-split writes them, for the download and header tests: NAME-0000k-of-0000n.gguf,
// every part a GGUF of its own with `split.no`, `split.count` and `split.tensors.count`, the general
// metadata in the first part, and the tensors divided between the parts.
import { buildGguf, meta } from './hand-made-gguf';

/** Two parts; the tensors' data is a byte pattern, so a spliced or shifted copy shows. */
export function buildSplitGguf(): [Buffer, Buffer] {
  const first = buildGguf({
    metadata: [
      ['general.architecture', meta.string('llama')],
      ['general.name', meta.string('split in two')],
      ['llama.context_length', meta.u32(2048)],
      ['split.no', meta.u16(0)],
      ['split.count', meta.u16(2)],
      ['split.tensors.count', meta.i32(3)],
    ],
    tensors: [
      { name: 'token_embd.weight', dims: [64, 256] },
      { name: 'output_norm.weight', dims: [64] },
    ],
  });
  const second = buildGguf({
    metadata: [
      ['split.no', meta.u16(1)],
      ['split.count', meta.u16(2)],
      ['split.tensors.count', meta.i32(3)],
    ],
    tensors: [{ name: 'output.weight', dims: [64, 256] }],
  });
  return [pattern(first, 64 * 1024 + 256), pattern(second, 64 * 1024)];
}

/** A single-file GGUF of about `bytes` bytes (one F32 tensor), its data a byte pattern. */
export function buildLargeGguf(bytes: number): Buffer {
  const columns = 1024;
  const rows = Math.ceil(bytes / (columns * 4));
  return pattern(buildGguf({ tensors: [{ name: 'token_embd.weight', dims: [columns, rows] }] }), columns * rows * 4);
}

function pattern(file: Buffer, dataBytes: number): Buffer {
  const start = file.length - dataBytes;
  for (let i = start; i < file.length; i++) file[i] = (i * 31 + 7) % 251;
  return file;
}
