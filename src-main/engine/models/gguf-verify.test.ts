import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { NocturnalError } from '../errors/nocturnal-error';
import { createTempDir } from '../git/testing/temp-repo';
import { checkGgufStart, inspectGguf, verifyGguf } from './gguf-verify';
import type { GgufCheck } from './gguf-verify';
import { buildGguf, u32, u64 } from './testing/gguf-bytes';
import type { GgufSpec } from './testing/gguf-bytes';

let dir: { path: string; cleanup(): Promise<void> };
let tiny: Buffer;
let counter = 0;

beforeAll(async () => {
  dir = await createTempDir('nocturnal-gguf-');
  tiny = await readFile(await ensureTinyModel());
});
afterAll(() => dir.cleanup());

async function inspectBytes(bytes: Buffer): Promise<GgufCheck> {
  const file = join(dir.path, `f${counter++}.gguf`);
  await writeFile(file, bytes);
  return inspectGguf(file);
}

async function problemOf(bytes: Buffer): Promise<{ problem: string; reason: string }> {
  const check = await inspectBytes(bytes);
  if (check.ok) throw new Error('expected the file to be refused');
  return check;
}

const spec = (s: GgufSpec) => buildGguf(s);

describe('inspectGguf on real models', () => {
  it('accepts the tiny llama model and reports its facts', async () => {
    const check = await inspectBytes(tiny);
    expect(check).toMatchObject({
      ok: true,
      facts: { version: 3, architecture: 'llama', name: 'nocturnal-tiny', contextLength: 4096, splitCount: 1, fileSize: tiny.length },
    });
    if (check.ok) expect(check.facts.tensorCount).toBeGreaterThan(5);
  });

  it('accepts a hand-made v2 file with array metadata and reads split.count', async () => {
    const check = await inspectBytes(
      spec({
        version: 2,
        metadata: [
          ['general.architecture', 'qwen2'],
          ['tokenizer.ggml.tokens', { strings: ['a', 'b', 'c'] }],
          ['tokenizer.ggml.scores', { f32s: [0, 1, 2] }],
          ['qwen2.context_length', { u32: 32768 }],
          ['split.count', { u16: 3 }],
        ],
      }),
    );
    expect(check).toMatchObject({ ok: true, facts: { version: 2, architecture: 'qwen2', name: null, contextLength: 32768, splitCount: 3 } });
  });
});

describe('inspectGguf refusals', () => {
  it('names an HTML page, JSON, an empty file, old GGML, a ZIP and safetensors', async () => {
    expect(await problemOf(Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'))).toMatchObject({ problem: 'not_gguf', reason: expect.stringContaining('HTML') });
    expect(await problemOf(Buffer.from('{"error":"Repository not found"}'))).toMatchObject({ problem: 'not_gguf', reason: expect.stringContaining('JSON') });
    expect(await problemOf(Buffer.alloc(0))).toMatchObject({ problem: 'not_gguf', reason: 'the file is empty' });
    expect(await problemOf(Buffer.concat([Buffer.from('tjgg'), Buffer.alloc(64)]))).toMatchObject({ reason: expect.stringContaining('GGML') });
    expect(await problemOf(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]))).toMatchObject({ reason: expect.stringContaining('ZIP') });
    expect(await problemOf(Buffer.concat([u64(20n), Buffer.from('{"__metadata__":{}}')]))).toMatchObject({ reason: expect.stringContaining('safetensors') });
    expect(await problemOf(Buffer.alloc(64, 0xab))).toMatchObject({ problem: 'not_gguf', reason: expect.stringContaining('abababab') });
  });

  it('refuses GGUF versions llama.cpp does not load, and big-endian files', async () => {
    expect(await problemOf(spec({ version: 1 }))).toMatchObject({ problem: 'unsupported_version', reason: expect.stringContaining('version 1') });
    expect(await problemOf(spec({ version: 4 }))).toMatchObject({ problem: 'unsupported_version', reason: expect.stringContaining('version 4') });
    expect(await problemOf(spec({ version: 0x03000000 }))).toMatchObject({ problem: 'unsupported_version', reason: expect.stringContaining('big-endian') });
  });

  it('refuses implausible counts and values instead of trying to read them', async () => {
    expect(await problemOf(spec({ tensors: [] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('no tensors') });
    expect(await problemOf(spec({ tensorCount: 1n << 40n }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('tensors') });
    expect(await problemOf(spec({ metadataCount: 1n << 40n }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('metadata entries') });
    expect(await problemOf(spec({ metadata: [['general.name', { type: 8, raw: u64(1n << 50n) }]] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('bytes long') });
    expect(await problemOf(spec({ metadata: [['x', { type: 77, raw: u32(0) }]] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('unknown value type 77') });
    expect(await problemOf(spec({ metadata: [['general.alignment', { u32: 24 }]] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('power of two') });
    expect(await problemOf(spec({ tensors: [{ name: 'w', dims: [4], offset: 8n }] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('alignment') });
    expect(await problemOf(spec({ tensors: [{ name: 'w', dims: [] }] }))).toMatchObject({ problem: 'implausible', reason: expect.stringContaining('0 dimensions') });
  });

  it('tells a cut-short header from missing tensor data', async () => {
    expect(await problemOf(tiny.subarray(0, 6))).toMatchObject({ problem: 'truncated' });
    expect(await problemOf(tiny.subarray(0, 300))).toMatchObject({ problem: 'truncated', reason: expect.stringContaining('header is cut short') });
    expect(await problemOf(tiny.subarray(0, tiny.length - 100))).toMatchObject({ problem: 'truncated', reason: expect.stringContaining(`only ${tiny.length - 100}`) });
    // Quantized types count in blocks: a Q4_K tensor of 256×2 elements needs 2 × 144 bytes.
    expect(await problemOf(spec({ tensors: [{ name: 'q', dims: [256, 2], type: 12 }], dataBytes: 287 }))).toMatchObject({ problem: 'truncated' });
    expect(await inspectBytes(spec({ tensors: [{ name: 'q', dims: [256, 2], type: 12 }], dataBytes: 288 }))).toMatchObject({ ok: true });
  });

  it('does not judge the data size of tensor types it does not know', async () => {
    expect(await inspectBytes(spec({ tensors: [{ name: 'x', dims: [64], type: 250 }], dataBytes: 0 }))).toMatchObject({ ok: true });
  });

  it('reports a missing file as unreadable', async () => {
    expect(await inspectGguf(join(dir.path, 'missing.gguf'))).toMatchObject({ ok: false, problem: 'unreadable' });
  });
});

describe('checkGgufStart', () => {
  it('passes a supported start and describes others', () => {
    expect(checkGgufStart(tiny.subarray(0, 16))).toBeNull();
    expect(checkGgufStart(Buffer.from('GGUF'))).toMatchObject({ problem: 'truncated' });
    expect(checkGgufStart(Buffer.from('<html>\n  <head>'))).toMatchObject({ problem: 'not_gguf' });
  });
});

describe('verifyGguf', () => {
  it('returns the facts or throws a validation error naming the file and the reason', async () => {
    const good = join(dir.path, 'good.gguf');
    await writeFile(good, tiny);
    await expect(verifyGguf(good)).resolves.toMatchObject({ architecture: 'llama' });
    const bad = join(dir.path, 'page.gguf');
    await writeFile(bad, '<html>404</html>');
    const error = await verifyGguf(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NocturnalError);
    expect(error).toMatchObject({ kind: 'validation', message: expect.stringMatching(/page\.gguf is not a usable GGUF model: .*HTML/) });
  });
});
