// Realistic model shapes for the GGUF generator (issue 12): the dimensions of the models people run,
// so benchmarks measure what a real model costs per token (memory read per token, KV cache, grouped-
// query attention) while the weights stay random. `layers` may be cut to make a few-layer model of a
// big shape when time or disk is short; every other dimension stays the real one.
export interface ModelShape {
  /** Short id, as `--preset` takes it. */
  id: string;
  /** What it is the shape of, for general.name and the reports. */
  name: string;
  embedding: number;
  layers: number;
  heads: number;
  /** Key/value heads: fewer than `heads` is grouped-query attention. */
  headsKv: number;
  feedForward: number;
  vocabSize: number;
  contextLength: number;
}

export const modelShapes: Record<'1b' | '7b' | '13b', ModelShape> = {
  // TinyLlama-1.1B: a llama-2 architecture with grouped-query attention (32 query heads, 4 KV heads).
  '1b': {
    id: '1b',
    name: 'TinyLlama-1.1B shape',
    embedding: 2048,
    layers: 22,
    heads: 32,
    headsKv: 4,
    feedForward: 5632,
    vocabSize: 32000,
    contextLength: 2048,
  },
  // CodeLlama-7B: Llama-2-7B's dimensions with CodeLlama's 32016-token vocabulary (16 infill tokens).
  '7b': {
    id: '7b',
    name: 'CodeLlama-7B shape',
    embedding: 4096,
    layers: 32,
    heads: 32,
    headsKv: 32,
    feedForward: 11008,
    vocabSize: 32016,
    contextLength: 16384,
  },
  // CodeLlama-13B, the default model of DESIGN §1.
  '13b': {
    id: '13b',
    name: 'CodeLlama-13B shape',
    embedding: 5120,
    layers: 40,
    heads: 40,
    headsKv: 40,
    feedForward: 13824,
    vocabSize: 32016,
    contextLength: 16384,
  },
};

export type PresetId = keyof typeof modelShapes;

export function isPresetId(value: string): value is PresetId {
  return Object.hasOwn(modelShapes, value);
}

/** The weight types the generator writes (ggml type ids and llama.cpp's general.file_type). */
export const tensorTypes = {
  f16: { ggmlType: 1, fileType: 1, blockValues: 1, blockBytes: 2 },
  q8_0: { ggmlType: 8, fileType: 7, blockValues: 32, blockBytes: 34 },
  q4_0: { ggmlType: 2, fileType: 2, blockValues: 32, blockBytes: 18 },
} as const;

export type TensorTypeId = keyof typeof tensorTypes;

export function isTensorTypeId(value: string): value is TensorTypeId {
  return Object.hasOwn(tensorTypes, value);
}

export interface ShapedTensor {
  name: string;
  /** GGUF order: ne[0] (the row length) first. */
  shape: number[];
  /** Norm weights stay F32 as in real files; matrices take the chosen type. */
  kind: 'norm' | 'matrix';
}

/** The llama tensors of a shape, with K and V sized for its KV heads. */
export function shapedTensors(shape: ModelShape, vocabSize: number): ShapedTensor[] {
  const { embedding: e, feedForward: ff } = shape;
  const kv = (e / shape.heads) * shape.headsKv;
  const tensors: ShapedTensor[] = [
    { name: 'token_embd.weight', shape: [e, vocabSize], kind: 'matrix' },
    { name: 'output_norm.weight', shape: [e], kind: 'norm' },
    { name: 'output.weight', shape: [e, vocabSize], kind: 'matrix' },
  ];
  for (let i = 0; i < shape.layers; i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, shape: [e], kind: 'norm' },
      { name: `blk.${i}.attn_q.weight`, shape: [e, e], kind: 'matrix' },
      { name: `blk.${i}.attn_k.weight`, shape: [e, kv], kind: 'matrix' },
      { name: `blk.${i}.attn_v.weight`, shape: [e, kv], kind: 'matrix' },
      { name: `blk.${i}.attn_output.weight`, shape: [e, e], kind: 'matrix' },
      { name: `blk.${i}.ffn_norm.weight`, shape: [e], kind: 'norm' },
      { name: `blk.${i}.ffn_gate.weight`, shape: [e, ff], kind: 'matrix' },
      { name: `blk.${i}.ffn_up.weight`, shape: [e, ff], kind: 'matrix' },
      { name: `blk.${i}.ffn_down.weight`, shape: [ff, e], kind: 'matrix' },
    );
  }
  return tensors;
}

export function tensorBytes(tensor: ShapedTensor, type: TensorTypeId): number {
  const count = tensor.shape.reduce((a, b) => a * b, 1);
  if (tensor.kind === 'norm') return count * 4;
  const t = tensorTypes[type];
  if (count % t.blockValues !== 0)
    throw new Error(`${tensor.name}: ${count} values do not fill whole ${type} blocks of ${t.blockValues}`);
  return (count / t.blockValues) * t.blockBytes;
}

/**
 * Bytes a decode step reads from the weights: every layer's matrices and norms, the output matrix and
 * one row of the token embedding. The KV cache is left out: at the short contexts the benchmarks use
 * it is well under 1 % of this.
 */
export function weightBytesPerToken(shape: ModelShape, vocabSize: number, type: TensorTypeId): number {
  let bytes = 0;
  for (const tensor of shapedTensors(shape, vocabSize)) {
    const size = tensorBytes(tensor, type);
    bytes += tensor.name === 'token_embd.weight' ? size / vocabSize : size;
  }
  return bytes;
}
