// The header of a llama-architecture GGUF with the shape of a real model (CodeLlama-13B: 40 layers,
// 5120 wide, no grouped-query attention, trained for 16384 tokens), its weights declared Q4_K but
// left out. node-llama-cpp's header reader and GgufInsights only read the header, so memory and
// context estimates come out as they would for the real 7.9 GB file, from a file of a few kilobytes.
import { buildGguf } from './gguf-bytes';
import type { TensorSpec } from './gguf-bytes';

export interface LlamaShape {
  name: string;
  layers: number;
  embedding: number;
  heads: number;
  headsKv: number;
  feedForward: number;
  vocab: number;
  contextLength: number;
}

export const codeLlama13bShape: LlamaShape = {
  name: 'CodeLlama 13B Instruct (shape only)',
  layers: 40,
  embedding: 5120,
  heads: 40,
  headsKv: 40,
  feedForward: 13824,
  vocab: 32016,
  contextLength: 16384,
};

const q4k = 12;
const f32 = 0;

export function buildShapedGgufHeader(shape: LlamaShape): Buffer {
  const kvWidth = (shape.embedding / shape.heads) * shape.headsKv;
  const tensors: TensorSpec[] = [
    { name: 'token_embd.weight', dims: [shape.embedding, shape.vocab], type: q4k },
    { name: 'output_norm.weight', dims: [shape.embedding], type: f32 },
    { name: 'output.weight', dims: [shape.embedding, shape.vocab], type: q4k },
  ];
  for (let layer = 0; layer < shape.layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [shape.embedding], type: f32 },
      { name: `${blk}.attn_q.weight`, dims: [shape.embedding, shape.embedding], type: q4k },
      { name: `${blk}.attn_k.weight`, dims: [shape.embedding, kvWidth], type: q4k },
      { name: `${blk}.attn_v.weight`, dims: [shape.embedding, kvWidth], type: q4k },
      { name: `${blk}.attn_output.weight`, dims: [shape.embedding, shape.embedding], type: q4k },
      { name: `${blk}.ffn_norm.weight`, dims: [shape.embedding], type: f32 },
      { name: `${blk}.ffn_gate.weight`, dims: [shape.embedding, shape.feedForward], type: q4k },
      { name: `${blk}.ffn_up.weight`, dims: [shape.embedding, shape.feedForward], type: q4k },
      { name: `${blk}.ffn_down.weight`, dims: [shape.feedForward, shape.embedding], type: q4k },
    );
  }
  // Offsets as llama.cpp expects them: each tensor packed after the previous one at its real size.
  let offset = 0n;
  for (const tensor of tensors) {
    tensor.offset = offset;
    const elements = BigInt(tensor.dims.reduce((a, b) => a * b, 1));
    const bytes = tensor.type === q4k ? (elements / 256n) * 144n : elements * 4n;
    offset = ((offset + bytes + 31n) / 32n) * 32n;
  }
  return buildGguf({
    metadata: [
      ['general.architecture', 'llama'],
      ['general.name', shape.name],
      ['llama.context_length', { u32: shape.contextLength }],
      ['llama.embedding_length', { u32: shape.embedding }],
      ['llama.block_count', { u32: shape.layers }],
      ['llama.feed_forward_length', { u32: shape.feedForward }],
      ['llama.attention.head_count', { u32: shape.heads }],
      ['llama.attention.head_count_kv', { u32: shape.headsKv }],
      ['llama.rope.dimension_count', { u32: shape.embedding / shape.heads }],
      ['llama.attention.layer_norm_rms_epsilon', { type: 6, raw: f32Bytes(1e-5) }],
    ],
    tensors,
    dataBytes: 64,
  });
}

function f32Bytes(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeFloatLE(value);
  return bytes;
}
