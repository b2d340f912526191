// Writes a tiny, deterministic llama-architecture GGUF v3 model with random weights (DESIGN §10).
// It is not meant to say anything sensible: it exists so that tests exercise the real node-llama-cpp
// binding (load, tokenize, grammar-constrained sampling, abort, parallel sequences) offline and fast.
//
//   npx tsx scripts/make-tiny-gguf.ts OUT.gguf
//
// With --preset it writes a realistic shape instead (gguf-shapes.ts: 1B with grouped-query attention,
// 7B, 13B; Q4_0, Q8_0 or F16; real vocabulary sizes), streamed to disk by write-shaped-gguf.ts:
//
//   npx tsx scripts/make-tiny-gguf.ts OUT.gguf --preset 13b --type q4_0 --layers 4
//
// Format reference: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ByteWriter, ggufHeader, Kv, TokenType, tinyVocab } from './gguf-format';
import type { MetaValue, TinyVocab } from './gguf-format';
import { llama2ChatTemplate } from './gguf-format';

export { tinyVocab };
export type { TinyVocab };

export interface TinyModelDims {
  embedding: number;
  layers: number;
  heads: number;
  feedForward: number;
  contextLength: number;
}

export const tinyModelDims: TinyModelDims = {
  embedding: 64,
  layers: 2,
  heads: 4,
  feedForward: 128,
  contextLength: 4096,
};

const alignment = 32;
const seed = 0x6e6f6374; // "noct"

// ggml tensor type F32.
const ggmlTypeF32 = 0;

// mulberry32: tiny, fast, and deterministic across platforms.
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

interface TensorSpec {
  name: string;
  /** GGUF order: ne[0] (the row length) first. */
  shape: number[];
  fill: 'ones' | 'random';
  /** Post-processing of the row-major values (one row of ne[0] values per index of ne[1]). */
  adjust?: (values: Float32Array) => void;
}

// Random weights alone give near-uniform next-token choices, so a JSON string would only close when
// a quote happens to be sampled (a few per cent per token) and replies would run to max tokens.
// Residual channel 0 is therefore made a constant "bias" channel: every token embeds a fixed value
// there and no layer writes to it, so after the final norm it is always positive, and the output rows
// of a few structural tokens read it with a positive weight. Strings and arrays then close after a
// handful of tokens while everything else stays random.
const biasChannelValue = 1;
const outputBias: [RegExp, number][] = [
  [/^"/, 4],
  [/^[\]}]/, 1],
];

function tensorSpecs(dims: TinyModelDims, vocab: TinyVocab): TensorSpec[] {
  const { embedding: e, feedForward: ff } = dims;
  const vocabSize = vocab.tokens.length;
  const zeroRow0 = (values: Float32Array, rowLength: number): void => {
    values.fill(0, 0, rowLength);
  };
  const specs: TensorSpec[] = [
    {
      name: 'token_embd.weight',
      shape: [e, vocabSize],
      fill: 'random',
      adjust: (v) => {
        for (let t = 0; t < vocabSize; t++) v[t * e] = biasChannelValue;
      },
    },
    { name: 'output_norm.weight', shape: [e], fill: 'ones' },
    {
      name: 'output.weight',
      shape: [e, vocabSize],
      fill: 'random',
      adjust: (v) => {
        vocab.tokens.forEach((token, t) => {
          if (vocab.types[t] !== TokenType.Normal) return;
          const bias = outputBias.find(([re]) => re.test(token))?.[1] ?? 0;
          v[t * e] = bias;
        });
      },
    },
  ];
  for (let i = 0; i < dims.layers; i++) {
    specs.push(
      { name: `blk.${i}.attn_norm.weight`, shape: [e], fill: 'ones' },
      { name: `blk.${i}.attn_q.weight`, shape: [e, e], fill: 'random' },
      { name: `blk.${i}.attn_k.weight`, shape: [e, e], fill: 'random' },
      { name: `blk.${i}.attn_v.weight`, shape: [e, e], fill: 'random' },
      { name: `blk.${i}.attn_output.weight`, shape: [e, e], fill: 'random', adjust: (v) => zeroRow0(v, e) },
      { name: `blk.${i}.ffn_norm.weight`, shape: [e], fill: 'ones' },
      { name: `blk.${i}.ffn_gate.weight`, shape: [e, ff], fill: 'random' },
      { name: `blk.${i}.ffn_up.weight`, shape: [e, ff], fill: 'random' },
      { name: `blk.${i}.ffn_down.weight`, shape: [ff, e], fill: 'random', adjust: (v) => zeroRow0(v, ff) },
    );
  }
  return specs;
}

/** Builds the whole GGUF file in memory (it is well under a megabyte). */
export function buildTinyGguf(dims: TinyModelDims = tinyModelDims): Buffer {
  const vocab = tinyVocab();
  const headDim = dims.embedding / dims.heads;
  const u32 = (value: number): MetaValue => ({ type: Kv.Uint32, value });
  const metadata: [string, MetaValue][] = [
    ['general.architecture', { type: Kv.String, value: 'llama' }],
    ['general.name', { type: Kv.String, value: 'nocturnal-tiny' }],
    ['general.file_type', u32(0)],
    ['general.alignment', u32(alignment)],
    ['llama.context_length', u32(dims.contextLength)],
    ['llama.embedding_length', u32(dims.embedding)],
    ['llama.block_count', u32(dims.layers)],
    ['llama.feed_forward_length', u32(dims.feedForward)],
    ['llama.attention.head_count', u32(dims.heads)],
    ['llama.attention.head_count_kv', u32(dims.heads)],
    ['llama.rope.dimension_count', u32(headDim)],
    ['llama.rope.freq_base', { type: Kv.Float32, value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: Kv.Float32, value: 1e-5 }],
    ['llama.vocab_size', u32(vocab.tokens.length)],
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
  const specs = tensorSpecs(dims, vocab);

  const header = ggufHeader({
    metadata,
    tensors: specs.map((spec) => ({
      name: spec.name,
      shape: spec.shape,
      ggmlType: ggmlTypeF32,
      bytes: spec.shape.reduce((a, b) => a * b, 1) * 4,
    })),
    alignment,
  });
  const data = new ByteWriter();
  const random = prng(seed);
  for (const [index, spec] of specs.entries()) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    // Offsets are relative to the start of the data section and aligned (ggufHeader placed them).
    data.raw(Buffer.alloc((header.offsets[index] ?? 0) - data.length));
    const values = new Float32Array(count);
    // Scaled like a Xavier init so activations stay finite through the layers.
    const scale = 1 / Math.sqrt(spec.shape[0] ?? 1);
    for (let i = 0; i < count; i++) values[i] = spec.fill === 'ones' ? 1 : (random() * 2 - 1) * scale * 2;
    spec.adjust?.(values);
    // GGUF is little-endian; so is every platform Node runs on, but say so rather than assume it.
    const bytes = Buffer.alloc(count * 4);
    values.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
    data.raw(bytes);
  }
  return Buffer.concat([header.bytes, data.toBuffer()]);
}

const usage =
  'usage: npx tsx scripts/make-tiny-gguf.ts OUT.gguf [--preset 1b|7b|13b [--type q4_0|q8_0|f16] [--layers N] [--vocab real|tiny]]';

/** The command line: OUT alone writes the tiny test model; --preset a realistic shape (streamed). */
export interface GgufArguments {
  out: string;
  preset?: { id: string; type: string; layers?: number; vocab: 'real' | 'tiny' };
}

export function parseGgufArguments(argv: readonly string[]): GgufArguments | { error: string } {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = argv[i + 1];
    if (!['--preset', '--type', '--layers', '--vocab'].includes(arg)) return { error: `unknown option ${arg}` };
    if (value === undefined || value.startsWith('--')) return { error: `${arg} needs a value` };
    flags.set(arg, value);
    i++;
  }
  const [out, ...extra] = positional;
  if (out === undefined || extra.length > 0) return { error: 'expected exactly one OUT.gguf path' };
  const preset = flags.get('--preset');
  if (preset === undefined) {
    if (flags.size > 0) return { error: `${[...flags.keys()].join(', ')} only apply with --preset` };
    return { out };
  }
  const layersText = flags.get('--layers');
  const layers = layersText === undefined ? undefined : Number(layersText);
  if (layers !== undefined && (!Number.isInteger(layers) || layers < 1))
    return { error: `--layers takes a positive integer, got "${layersText}"` };
  const vocab = flags.get('--vocab') ?? 'real';
  if (vocab !== 'real' && vocab !== 'tiny') return { error: `--vocab takes real or tiny, got "${vocab}"` };
  return {
    out,
    preset: { id: preset, type: flags.get('--type') ?? 'q4_0', vocab, ...(layers === undefined ? {} : { layers }) },
  };
}

async function main(argv: string[]): Promise<void> {
  const parsed = parseGgufArguments(argv);
  if ('error' in parsed) {
    console.error(`${parsed.error}\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (parsed.preset === undefined) {
    const bytes = buildTinyGguf();
    await writeFile(resolve(parsed.out), bytes);
    console.log(`wrote ${resolve(parsed.out)} (${bytes.length} bytes)`);
    return;
  }
  // Loaded only here: the realistic shapes import this file's format helpers.
  const { isPresetId, isTensorTypeId, modelShapes } = await import('./gguf-shapes');
  const { writeShapedGguf } = await import('./write-shaped-gguf');
  const { id, type, layers, vocab } = parsed.preset;
  if (!isPresetId(id)) {
    console.error(`--preset takes ${Object.keys(modelShapes).join(', ')}, got "${id}"\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (!isTensorTypeId(type)) {
    console.error(`--type takes q4_0, q8_0 or f16, got "${type}"\n${usage}`);
    process.exitCode = 2;
    return;
  }
  const info = await writeShapedGguf(resolve(parsed.out), {
    shape: modelShapes[id],
    type,
    vocab,
    ...(layers === undefined ? {} : { layers }),
  });
  console.log(
    `wrote ${info.path} (${info.bytes} bytes: ${info.shape.name}, ${info.shape.layers} layers, ${type}, vocabulary ${info.vocabSize})`,
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
