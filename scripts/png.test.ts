import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from './png';

function chunks(png: Buffer): { type: string; data: Buffer; crc: number }[] {
  const out: { type: string; data: Buffer; crc: number }[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + length);
    out.push({ type, data, crc: png.readUInt32BE(at + 8 + length) });
    at += 12 + length;
  }
  return out;
}

describe('encodePng', () => {
  it('writes signature, IHDR, IDAT with unfiltered rows, and IEND, each with a valid CRC', () => {
    const pixels = Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 128, 1, 2, 3, 4, 5, 6, 7, 8]);
    const png = encodePng({ width: 2, height: 2, pixels });

    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const list = chunks(png);
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND']);
    for (const c of list) expect(c.crc).toBe(crc32(Buffer.concat([Buffer.from(c.type, 'ascii'), c.data])));

    const ihdr = list[0]?.data;
    expect(ihdr?.readUInt32BE(0)).toBe(2);
    expect(ihdr?.readUInt32BE(4)).toBe(2);
    expect([...(ihdr?.subarray(8) ?? [])]).toEqual([8, 6, 0, 0, 0]);
    expect([...inflateSync(list[1]?.data ?? Buffer.alloc(0))]).toEqual([
      0,
      ...pixels.subarray(0, 8),
      0,
      ...pixels.subarray(8),
    ]);
  });

  it('computes the standard CRC-32 (IEND chunk and the "123456789" check value)', () => {
    expect(crc32(Buffer.from('IEND', 'ascii'))).toBe(0xae426082);
    expect(crc32(Buffer.from('123456789', 'ascii'))).toBe(0xcbf43926);
  });

  it('refuses a pixel buffer that does not match the size', () => {
    expect(() => encodePng({ width: 2, height: 2, pixels: new Uint8Array(15) })).toThrow(/expected 16 RGBA bytes/);
    expect(() => encodePng({ width: 0, height: 2, pixels: new Uint8Array(0) })).toThrow(/positive integers/);
  });
});
