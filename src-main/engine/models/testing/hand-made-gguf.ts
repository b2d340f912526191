// Hand-made GGUF files for the header checks, written by the one GGUF header writer the generators use
// (scripts/gguf-format.ts): small, explicit, and wrong in exactly the way a test asks for (a bad
// version, an absurd count, no tensors). Tensors are F32, their data zeros.
import { ggufHeader, Kv } from '../../../../scripts/gguf-format';
import type { MetaValue } from '../../../../scripts/gguf-format';

export type { MetaValue };

export interface HandMadeGguf {
  version?: number;
  /** Written instead of the real count. */
  metadataCount?: number;
  metadata?: [string, MetaValue][];
  tensors?: { name: string; dims: number[] }[];
}

export const meta = {
  string: (value: string): MetaValue => ({ type: Kv.String, value }),
  u16: (value: number): MetaValue => ({ type: Kv.Uint16, value }),
  u32: (value: number): MetaValue => ({ type: Kv.Uint32, value }),
  i32: (value: number): MetaValue => ({ type: Kv.Int32, value }),
};

export function buildGguf(spec: HandMadeGguf = {}): Buffer {
  const header = ggufHeader({
    metadata: spec.metadata ?? [
      ['general.architecture', meta.string('llama')],
      ['general.name', meta.string('hand-made')],
      ['llama.context_length', meta.u32(2048)],
    ],
    tensors: (spec.tensors ?? [{ name: 'token_embd.weight', dims: [8, 4] }]).map((tensor) => ({
      name: tensor.name,
      shape: tensor.dims,
      ggmlType: 0,
      bytes: tensor.dims.reduce((a, b) => a * b, 1) * 4,
    })),
    ...(spec.version === undefined ? {} : { version: spec.version }),
    ...(spec.metadataCount === undefined ? {} : { metadataCount: spec.metadataCount }),
  });
  return Buffer.concat([header.bytes, Buffer.alloc(header.dataBytes)]);
}
