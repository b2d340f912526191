// Hand-made GGUF files for the header checks: small, explicit, and wrong in exactly the way a test
// asks for (a bad version, an absurd count, a misaligned tensor, missing data).
export type MetaValue =
  | string
  | { u32: number }
  | { u16: number }
  | { strings: string[] }
  | { f32s: number[] }
  | { type: number; raw: Buffer };

export interface TensorSpec {
  name: string;
  dims: number[];
  /** ggml type id; default 0 (F32). */
  type?: number;
  /** Relative to the data section; default: packed after the previous tensor (F32 sizes). */
  offset?: bigint;
}

export interface GgufSpec {
  magic?: string;
  version?: number;
  /** Written instead of the real counts. */
  tensorCount?: bigint;
  metadataCount?: bigint;
  metadata?: [string, MetaValue][];
  tensors?: TensorSpec[];
  /** Bytes of tensor data to append; default exactly what the tensors need. */
  dataBytes?: number;
}

const alignment = 32;

export function buildGguf(spec: GgufSpec = {}): Buffer {
  const metadata: [string, MetaValue][] = spec.metadata ?? [
    ['general.architecture', 'llama'],
    ['general.name', 'hand-made'],
    ['llama.context_length', { u32: 2048 }],
  ];
  const tensors = spec.tensors ?? [{ name: 'token_embd.weight', dims: [8, 4] }];
  const parts: Buffer[] = [];
  parts.push(Buffer.from(spec.magic ?? 'GGUF', 'latin1'));
  parts.push(u32(spec.version ?? 3));
  parts.push(u64(spec.tensorCount ?? BigInt(tensors.length)));
  parts.push(u64(spec.metadataCount ?? BigInt(metadata.length)));
  for (const [key, value] of metadata) {
    parts.push(str(key));
    parts.push(encodeValue(value));
  }
  let next = 0n;
  let dataNeeded = 0n;
  for (const tensor of tensors) {
    const bytes = BigInt(tensor.dims.reduce((a, b) => a * b, 1) * 4);
    const offset = tensor.offset ?? next;
    next = align(offset + bytes);
    if (offset + bytes > dataNeeded) dataNeeded = offset + bytes;
    parts.push(
      str(tensor.name),
      u32(tensor.dims.length),
      ...tensor.dims.map((d) => u64(BigInt(d))),
      u32(tensor.type ?? 0),
      u64(offset),
    );
  }
  const header = Buffer.concat(parts);
  const padded = Buffer.concat([header, Buffer.alloc(Number(align(BigInt(header.length))) - header.length)]);
  return Buffer.concat([padded, Buffer.alloc(spec.dataBytes ?? Number(dataNeeded))]);
}

function encodeValue(value: MetaValue): Buffer {
  if (typeof value === 'string') return Buffer.concat([u32(8), str(value)]);
  if ('u32' in value) return Buffer.concat([u32(4), u32(value.u32)]);
  if ('u16' in value) {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value.u16);
    return Buffer.concat([u32(2), b]);
  }
  if ('strings' in value)
    return Buffer.concat([u32(9), u32(8), u64(BigInt(value.strings.length)), ...value.strings.map(str)]);
  if ('f32s' in value) {
    const b = Buffer.alloc(value.f32s.length * 4);
    value.f32s.forEach((f, i) => b.writeFloatLE(f, i * 4));
    return Buffer.concat([u32(9), u32(6), u64(BigInt(value.f32s.length)), b]);
  }
  return Buffer.concat([u32(value.type), value.raw]);
}

function align(n: bigint): bigint {
  const a = BigInt(alignment);
  return ((n + a - 1n) / a) * a;
}

export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

export function u64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
}

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  return Buffer.concat([u64(BigInt(bytes.length)), bytes]);
}
