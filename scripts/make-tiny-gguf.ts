// Writes a tiny, deterministic llama-architecture GGUF v3 model with random weights (DESIGN §10).
// It is not meant to say anything sensible: it exists so that tests exercise the real node-llama-cpp
// binding (load, tokenize, grammar-constrained sampling, abort, parallel sequences) offline and fast.
//
//   npx tsx scripts/make-tiny-gguf.ts OUT.gguf
//
// Format reference: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TinyModelDims {
  embedding: number;
  layers: number;
  heads: number;
  feedForward: number;
  contextLength: number;
}

export const tinyModelDims: TinyModelDims = { embedding: 64, layers: 2, heads: 4, feedForward: 128, contextLength: 4096 };

const alignment = 32;
const seed = 0x6e6f6374; // "noct"

// GGUF metadata value types.
const enum Kv {
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

// ggml tensor type F32.
const ggmlTypeF32 = 0;

// llama.cpp token types.
const enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  Byte = 6,
}

// The Llama-2 chat template (as CodeLlama-Instruct ships it), so node-llama-cpp resolves a chat wrapper
// from the file itself and prompts are laid out in the [INST] format the default model uses.
const llama2ChatTemplate =
  "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}" +
  "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

// Multi-character pieces that make the protocol's JSON cheap to tokenize. A space is written as the
// SentencePiece marker "▁" by `spmPiece`.
const extraPieces = [
  '{"', '"}', '":', '": ', '", "', '", ', ', "', ', ', '["', '"]', '[]', '{}', '},', '}]', '"}]', '"},', '\\n', '\\"',
  'summary', 'edits', 'path', 'action', 'replace', 'search', 'content', 'write', 'delete',
  'score', 'verdict', 'issues', 'approve', 'revise', 'reject',
  'requirements', 'acceptance_criteria', 'plan', 'files', 'src', '.ts', '.js', '.json', '.md', 'test', 'index',
  ' the', ' a', ' to', ' of', ' and', ' in', ' is', ' it', ' fix', ' add', ' file', ' function', ' return',
  ' const', ' export', ' import', ' from', ' true', ' false', ' null', 'function', 'return', 'const', 'export',
  'import', '  ', '    ', '[INST]', '[/INST]', '<<SYS>>', '<</SYS>>',
];

export interface TinyVocab {
  tokens: string[];
  scores: number[];
  types: number[];
  unk: number;
  bos: number;
  eos: number;
}

/** The vocabulary: specials, all 256 byte-fallback tokens, printable ASCII, then the pieces above. */
export function tinyVocab(): TinyVocab {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TokenType.Unknown, TokenType.Control, TokenType.Control];
  const scores: number[] = [0, 0, 0];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TokenType.Byte);
    scores.push(0);
  }
  const seen = new Set<string>();
  const addNormal = (piece: string, score: number): void => {
    if (seen.has(piece)) return;
    seen.add(piece);
    tokens.push(piece);
    types.push(TokenType.Normal);
    scores.push(score);
  };
  addNormal('▁', -1);
  for (let c = 0x21; c < 0x7f; c++) addNormal(String.fromCharCode(c), -2);
  // SentencePiece builds a piece by merging adjacent pieces that are themselves in the vocabulary, so
  // every prefix of a multi-character piece is added too; longer pieces score higher and win.
  for (const piece of extraPieces) {
    const spm = spmPiece(piece);
    for (let end = 2; end <= spm.length; end++) addNormal(spm.slice(0, end), end);
  }
  return { tokens, scores, types, unk: 0, bos: 1, eos: 2 };
}

function spmPiece(text: string): string {
  return text.replaceAll(' ', '▁');
}

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

/** Collects little-endian GGUF values into one growing buffer. */
class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }

  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }

  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }

  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }

  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }

  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }

  raw(buf: Buffer): void {
    this.push(buf);
  }

  padTo(multiple: number): void {
    const rest = this.length % multiple;
    if (rest !== 0) this.push(Buffer.alloc(multiple - rest));
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

type MetaValue =
  | { type: Kv.Uint32 | Kv.Int32 | Kv.Float32; value: number }
  | { type: Kv.Bool; value: boolean }
  | { type: Kv.String; value: string }
  | { type: Kv.Array; of: Kv.String; value: string[] }
  | { type: Kv.Array; of: Kv.Float32 | Kv.Int32; value: number[] };

function writeScalar(w: ByteWriter, type: Kv, value: number | string | boolean): void {
  switch (type) {
    case Kv.Uint32: w.u32(value as number); break;
    case Kv.Int32: w.i32(value as number); break;
    case Kv.Float32: w.f32(value as number); break;
    case Kv.Bool: w.raw(Buffer.from([value ? 1 : 0])); break;
    case Kv.String: w.str(value as string); break;
    default: throw new Error(`unsupported GGUF scalar type ${type}`);
  }
}

function writeMeta(w: ByteWriter, key: string, meta: MetaValue): void {
  w.str(key);
  w.u32(meta.type);
  if (meta.type === Kv.Array) {
    w.u32(meta.of);
    w.u64(meta.value.length);
    for (const v of meta.value) writeScalar(w, meta.of, v);
  } else {
    writeScalar(w, meta.type, meta.value);
  }
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

  const header = new ByteWriter();
  header.raw(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(specs.length);
  header.u64(metadata.length);
  for (const [key, meta] of metadata) writeMeta(header, key, meta);

  const data = new ByteWriter();
  const random = prng(seed);
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    // Offsets are relative to the start of the data section and must be aligned.
    data.padTo(alignment);
    header.str(spec.name);
    header.u32(spec.shape.length);
    for (const d of spec.shape) header.u64(d);
    header.u32(ggmlTypeF32);
    header.u64(data.length);
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
  header.padTo(alignment);
  return Buffer.concat([header.toBuffer(), data.toBuffer()]);
}

async function main(argv: string[]): Promise<void> {
  const out = argv[0];
  if (out === undefined || argv.length !== 1) {
    console.error('usage: npx tsx scripts/make-tiny-gguf.ts OUT.gguf');
    process.exitCode = 2;
    return;
  }
  const bytes = buildTinyGguf();
  await writeFile(resolve(out), bytes);
  console.log(`wrote ${resolve(out)} (${bytes.length} bytes)`);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
