// Writes a llama GGUF of a realistic shape (gguf-shapes.ts) with random weights, streamed to disk: the
// header first (every tensor's size is known from its shape and type), then each tensor's data in
// slices of a small pool of random blocks, so a many-gigabyte model never sits in memory. The values
// are random, scaled like a Xavier init; what matters to a benchmark is the bytes a token reads.
import { open, rename, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { ggufHeader, Kv, llama2ChatTemplate, tinyVocab, TokenType } from './gguf-format';
import type { MetaValue, TinyVocab } from './gguf-format';
import { shapedTensors, tensorBytes, tensorTypes } from './gguf-shapes';
import type { ModelShape, TensorTypeId } from './gguf-shapes';

const alignment = 32;
/** Random blocks per tensor pool; data cycles through them from a random start. */
const poolBlocks = 4096;

export interface ShapedModelOptions {
  shape: ModelShape;
  type: TensorTypeId;
  /** Cut the shape to this many layers (a few-layer 13B when time or disk is short). */
  layers?: number;
  /** 'real' pads the tiny vocabulary with filler pieces to the shape's size; 'tiny' keeps the ~600-token one. */
  vocab?: 'real' | 'tiny';
  seed?: number;
  /**
   * Only the header, no tensor data: a few hundred kilobytes that header readers (node-llama-cpp's
   * GgufInsights, the model tests' fit estimates) take for the whole model. llama.cpp cannot load it.
   */
  headerOnly?: boolean;
}

export interface ShapedModelInfo {
  path: string;
  bytes: number;
  shape: ModelShape;
  vocabSize: number;
  type: TensorTypeId;
}

/** The tiny vocabulary padded with unique filler pieces up to `size` tokens. */
export function paddedVocab(size: number): TinyVocab {
  const vocab = tinyVocab();
  if (size < vocab.tokens.length)
    throw new Error(`a vocabulary of ${size} is smaller than the ${vocab.tokens.length} tokens the generator needs`);
  const seen = new Set(vocab.tokens);
  for (let n = 0; vocab.tokens.length < size; n++) {
    const piece = `▁${n.toString(36)}x`;
    if (seen.has(piece)) continue;
    seen.add(piece);
    vocab.tokens.push(piece);
    vocab.scores.push(-10);
    vocab.types.push(TokenType.Normal);
  }
  return vocab;
}

export async function writeShapedGguf(outPath: string, options: ShapedModelOptions): Promise<ShapedModelInfo> {
  const layers = options.layers ?? options.shape.layers;
  if (!Number.isInteger(layers) || layers < 1)
    throw new Error(`--layers must be a positive integer, got ${String(options.layers)}`);
  const shape: ModelShape = { ...options.shape, layers };
  const vocab = options.vocab === 'tiny' ? tinyVocab() : paddedVocab(shape.vocabSize);
  const vocabSize = vocab.tokens.length;
  const type = tensorTypes[options.type];
  const tensors = shapedTensors(shape, vocabSize);
  const u32 = (value: number): MetaValue => ({ type: Kv.Uint32, value });
  const metadata: [string, MetaValue][] = [
    ['general.architecture', { type: Kv.String, value: 'llama' }],
    [
      'general.name',
      {
        type: Kv.String,
        value: `nocturnal ${shape.name}${layers === options.shape.layers ? '' : `, ${layers} layers`}`,
      },
    ],
    ['general.file_type', u32(type.fileType)],
    ['general.alignment', u32(alignment)],
    ['llama.context_length', u32(shape.contextLength)],
    ['llama.embedding_length', u32(shape.embedding)],
    ['llama.block_count', u32(layers)],
    ['llama.feed_forward_length', u32(shape.feedForward)],
    ['llama.attention.head_count', u32(shape.heads)],
    ['llama.attention.head_count_kv', u32(shape.headsKv)],
    ['llama.rope.dimension_count', u32(shape.embedding / shape.heads)],
    ['llama.rope.freq_base', { type: Kv.Float32, value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: Kv.Float32, value: 1e-5 }],
    ['llama.vocab_size', u32(vocabSize)],
    ['tokenizer.ggml.model', { type: Kv.String, value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: Kv.Array, of: Kv.String, value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: Kv.Array, of: Kv.Float32, value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: Kv.Array, of: Kv.Int32, value: vocab.types }],
    ['tokenizer.ggml.bos_token_id', u32(vocab.bos)],
    ['tokenizer.ggml.eos_token_id', u32(vocab.eos)],
    ['tokenizer.ggml.unknown_token_id', u32(vocab.unk)],
    ['tokenizer.ggml.add_bos_token', { type: Kv.Bool, value: true }],
    ['tokenizer.ggml.add_eos_token', { type: Kv.Bool, value: false }],
    ['tokenizer.chat_template', { type: Kv.String, value: llama2ChatTemplate }],
  ];

  const header = ggufHeader({
    metadata,
    tensors: tensors.map((tensor) => ({
      name: tensor.name,
      shape: tensor.shape,
      ggmlType: tensor.kind === 'norm' ? 0 : type.ggmlType,
      bytes: tensorBytes(tensor, options.type),
    })),
    alignment,
  });
  if (options.headerOnly) {
    await writeFile(outPath, header.bytes);
    return { path: outPath, bytes: header.bytes.length, shape, vocabSize, type: options.type };
  }
  const sizes = tensors.map((tensor) => tensorBytes(tensor, options.type));

  // Written under a temporary name and renamed, so a cache never holds half a model.
  const temp = `${outPath}.${process.pid}.tmp`;
  const file = await open(temp, 'w');
  let written = 0;
  try {
    const head = header.bytes;
    await writeAll(file, head);
    written += head.length;
    const random = prng(options.seed ?? 0x6e6f6374);
    let dataOffset = 0;
    for (const [i, tensor] of tensors.entries()) {
      const pad = alignUp(dataOffset) - dataOffset;
      if (pad > 0) await writeAll(file, Buffer.alloc(pad));
      const size = sizes[i] ?? 0;
      if (tensor.kind === 'norm') await writeAll(file, onesF32(size / 4));
      else await writeCycled(file, randomBlocks(options.type, tensor.shape[0] ?? 1, random), size, random);
      dataOffset += pad + size;
      written += pad + size;
    }
  } finally {
    await file.close();
  }
  try {
    await rename(temp, outPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return { path: outPath, bytes: written, shape, vocabSize, type: options.type };
}

function alignUp(n: number): number {
  return Math.ceil(n / alignment) * alignment;
}

async function writeAll(file: FileHandle, buffer: Buffer): Promise<void> {
  let done = 0;
  while (done < buffer.length) done += (await file.write(buffer, done, buffer.length - done)).bytesWritten;
}

/** `size` bytes taken from the pool round and round, from a random block. */
async function writeCycled(
  file: FileHandle,
  pool: { bytes: Buffer; blockBytes: number },
  size: number,
  random: () => number,
): Promise<void> {
  const blocks = pool.bytes.length / pool.blockBytes;
  let at = Math.floor(random() * blocks) * pool.blockBytes;
  let left = size;
  while (left > 0) {
    const take = Math.min(left, pool.bytes.length - at);
    await writeAll(file, pool.bytes.subarray(at, at + take));
    left -= take;
    at = (at + take) % pool.bytes.length;
  }
}

function onesF32(count: number): Buffer {
  const bytes = Buffer.alloc(count * 4);
  for (let i = 0; i < count; i++) bytes.writeFloatLE(1, i * 4);
  return bytes;
}

/** A pool of random blocks of the type, values within ±2/√rowLength like the tiny model's. */
function randomBlocks(
  type: TensorTypeId,
  rowLength: number,
  random: () => number,
): { bytes: Buffer; blockBytes: number } {
  const scale = 2 / Math.sqrt(rowLength);
  const { blockBytes } = tensorTypes[type];
  // F16 blocks are single values: a pool of the same byte size as the quantized ones.
  const count = type === 'f16' ? poolBlocks * 32 : poolBlocks;
  const bytes = Buffer.alloc(count * blockBytes);
  for (let b = 0; b < count; b++) {
    const at = b * blockBytes;
    if (type === 'f16') {
      bytes.writeUInt16LE(toHalf((random() * 2 - 1) * scale), at);
    } else if (type === 'q8_0') {
      bytes.writeUInt16LE(toHalf(scale / 127), at);
      for (let i = 0; i < 32; i++) bytes.writeInt8(Math.round(random() * 254) - 127, at + 2 + i);
    } else {
      // Q4_0: value = (nibble - 8) × d.
      bytes.writeUInt16LE(toHalf(scale / 8), at);
      for (let i = 0; i < 16; i++) bytes[at + 2 + i] = Math.floor(random() * 256);
    }
  }
  return { bytes, blockBytes };
}

/** IEEE half from a double (round to nearest; the values here are small and finite). */
export function toHalf(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent <= 0) return sign; // too small for a normal half: zero is close enough here
  if (exponent >= 31) return sign | 0x7c00;
  const half = sign | (exponent << 10) | (mantissa >>> 13);
  return (mantissa & 0x1000) !== 0 ? half + 1 : half;
}

// mulberry32, as the tiny model uses.
function prng(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
