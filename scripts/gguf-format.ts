// The GGUF format pieces every GGUF writer shares (the tiny test model in make-tiny-gguf.ts, the
// realistic shapes in write-shaped-gguf.ts, the hand-made headers of the model tests in
// src-main/engine/models/testing/): metadata value types, the little-endian writer, the header with
// its tensor table, the llama vocabulary with byte fallback, and the Llama-2 chat template.
//
// Format reference: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md

// GGUF metadata value types.
export enum Kv {
  Uint16 = 2,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
}

// llama.cpp token types.
export enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  Byte = 6,
}

// The Llama-2 chat template (as CodeLlama-Instruct ships it), so node-llama-cpp resolves a chat wrapper
// from the file itself and prompts are laid out in the [INST] format the default model uses.
export const llama2ChatTemplate =
  "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}{% set system_message = false %}{% endif %}" +
  "{% for message in loop_messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
  "{% if loop.index0 == 0 and system_message != false %}{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}{% else %}{% set content = message['content'] %}{% endif %}" +
  "{% if message['role'] == 'user' %}{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";

// Multi-character pieces that make the protocol's JSON cheap to tokenize. A space is written as the
// SentencePiece marker "▁" by `spmPiece`.
const extraPieces = [
  '{"',
  '"}',
  '":',
  '": ',
  '", "',
  '", ',
  ', "',
  ', ',
  '["',
  '"]',
  '[]',
  '{}',
  '},',
  '}]',
  '"}]',
  '"},',
  '\\n',
  '\\"',
  'summary',
  'edits',
  'path',
  'action',
  'replace',
  'search',
  'content',
  'write',
  'delete',
  'score',
  'verdict',
  'issues',
  'approve',
  'revise',
  'reject',
  'requirements',
  'acceptance_criteria',
  'plan',
  'files',
  'src',
  '.ts',
  '.js',
  '.json',
  '.md',
  'test',
  'index',
  ' the',
  ' a',
  ' to',
  ' of',
  ' and',
  ' in',
  ' is',
  ' it',
  ' fix',
  ' add',
  ' file',
  ' function',
  ' return',
  ' const',
  ' export',
  ' import',
  ' from',
  ' true',
  ' false',
  ' null',
  'function',
  'return',
  'const',
  'export',
  'import',
  '  ',
  '    ',
  '[INST]',
  '[/INST]',
  '<<SYS>>',
  '<</SYS>>',
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

/** Collects little-endian GGUF values into one growing buffer. */
export class ByteWriter {
  private chunks: Buffer[] = [];
  length = 0;

  private push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }

  u16(v: number): void {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(v);
    this.push(b);
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

export type MetaValue =
  | { type: Kv.Uint16 | Kv.Uint32 | Kv.Int32 | Kv.Float32; value: number }
  | { type: Kv.Bool; value: boolean }
  | { type: Kv.String; value: string }
  | { type: Kv.Array; of: Kv.String; value: string[] }
  | { type: Kv.Array; of: Kv.Float32 | Kv.Int32; value: number[] };

function writeScalar(w: ByteWriter, type: Kv, value: number | string | boolean): void {
  switch (type) {
    case Kv.Uint16:
      w.u16(value as number);
      break;
    case Kv.Uint32:
      w.u32(value as number);
      break;
    case Kv.Int32:
      w.i32(value as number);
      break;
    case Kv.Float32:
      w.f32(value as number);
      break;
    case Kv.Bool:
      w.raw(Buffer.from([value ? 1 : 0]));
      break;
    case Kv.String:
      w.str(value as string);
      break;
    default:
      throw new Error(`unsupported GGUF scalar type ${type}`);
  }
}

export function writeMeta(w: ByteWriter, key: string, meta: MetaValue): void {
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

/** One entry of the tensor table: its data is `bytes` long, at the next aligned offset. */
export interface GgufTensorEntry {
  name: string;
  /** GGUF order: ne[0] (the row length) first. */
  shape: number[];
  ggmlType: number;
  bytes: number;
}

export interface GgufHeaderSpec {
  metadata: [string, MetaValue][];
  tensors: GgufTensorEntry[];
  /** 3 unless a test writes a file of another version. */
  version?: number;
  /** Written instead of the real metadata count: a damaged header, for the header checks. */
  metadataCount?: number;
  alignment?: number;
}

export interface GgufHeader {
  /** Magic, counts, metadata and tensor table, padded to the alignment: the data section follows. */
  bytes: Buffer;
  /** Each tensor's offset in the data section. */
  offsets: number[];
  /** The data section's length: the last tensor's end. */
  dataBytes: number;
}

/** A GGUF header (v3, little-endian), each tensor packed after the previous one at aligned offsets. */
export function ggufHeader(spec: GgufHeaderSpec): GgufHeader {
  const alignment = spec.alignment ?? 32;
  const header = new ByteWriter();
  header.raw(Buffer.from('GGUF', 'ascii'));
  header.u32(spec.version ?? 3);
  header.u64(spec.tensors.length);
  header.u64(spec.metadataCount ?? spec.metadata.length);
  for (const [key, meta] of spec.metadata) writeMeta(header, key, meta);
  const offsets: number[] = [];
  let end = 0;
  for (const tensor of spec.tensors) {
    const offset = Math.ceil(end / alignment) * alignment;
    header.str(tensor.name);
    header.u32(tensor.shape.length);
    for (const d of tensor.shape) header.u64(d);
    header.u32(tensor.ggmlType);
    header.u64(offset);
    offsets.push(offset);
    end = offset + tensor.bytes;
  }
  header.padTo(alignment);
  return { bytes: header.toBuffer(), offsets, dataBytes: end };
}
