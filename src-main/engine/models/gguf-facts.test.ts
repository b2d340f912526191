// The checks a model file passes before it is accepted: node-llama-cpp's header reader plus ours, on
// real files (the tiny llama model, hand-made and split GGUFs) in a temp folder.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { NocturnalError } from '../errors/nocturnal-error';
import { createTempDir } from '../git/testing/temp-repo';
import { inspectModelFile, isLaterSplitPart, modelFileParts, readModelFacts } from './gguf-facts';
import type { GgufCheck } from './gguf-facts';
import { checkGgufStart } from './gguf-start';
import { buildGguf } from './testing/hand-made-gguf';
import { buildSplitGguf } from './testing/split-gguf';

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
  return inspectModelFile(file);
}

async function reasonOf(bytes: Buffer): Promise<string> {
  const check = await inspectBytes(bytes);
  if (check.ok) throw new Error('expected the file to be refused');
  return check.reason;
}

describe('inspectModelFile', () => {
  it("accepts the tiny llama model and reports its facts from node-llama-cpp's reader", async () => {
    const check = await inspectBytes(tiny);
    expect(check).toMatchObject({
      ok: true,
      facts: {
        version: 3,
        architecture: 'llama',
        name: 'nocturnal-tiny',
        contextLength: 4096,
        splitCount: 1,
        fileSize: tiny.length,
      },
    });
    if (check.ok) expect(check.facts.tensorCount).toBeGreaterThan(5);
  });

  it("reads a split model as one: every part's tensors, the first part's metadata", async () => {
    const [first, second] = buildSplitGguf();
    await writeFile(join(dir.path, 'two-00001-of-00002.gguf'), first);
    await writeFile(join(dir.path, 'two-00002-of-00002.gguf'), second);
    const check = await inspectModelFile(join(dir.path, 'two-00001-of-00002.gguf'));
    expect(check).toMatchObject({
      ok: true,
      facts: {
        splitCount: 2,
        tensorCount: 3,
        name: 'split in two',
        contextLength: 2048,
        fileSize: first.length + second.length,
      },
    });
  });

  it('names the missing part of a split model', async () => {
    const [first] = buildSplitGguf();
    await writeFile(join(dir.path, 'lone-00001-of-00002.gguf'), first);
    expect(await inspectModelFile(join(dir.path, 'lone-00001-of-00002.gguf'))).toEqual({
      ok: false,
      reason: 'part lone-00002-of-00002.gguf of the split model is missing',
    });
  });

  it('names an HTML page, JSON, an empty file, old GGML, a ZIP and safetensors', async () => {
    expect(await reasonOf(Buffer.from('<!DOCTYPE html><html><body>Sign in</body></html>'))).toContain('HTML');
    expect(await reasonOf(Buffer.from('{"error":"Repository not found"}'))).toContain('JSON');
    expect(await reasonOf(Buffer.alloc(0))).toBe('the file is empty');
    expect(await reasonOf(Buffer.concat([Buffer.from('tjgg'), Buffer.alloc(64)]))).toContain('GGML');
    expect(await reasonOf(Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(64)]))).toContain('ZIP');
    expect(
      await reasonOf(Buffer.concat([Buffer.from([20, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{"__metadata__":{}}')])),
    ).toContain('safetensors');
  });

  it('refuses GGUF versions llama.cpp does not load, and big-endian files', async () => {
    expect(await reasonOf(buildGguf({ version: 1 }))).toContain('version 1');
    expect(await reasonOf(buildGguf({ version: 4 }))).toContain('version 4');
    expect(await reasonOf(buildGguf({ version: 0x03000000 }))).toContain('big-endian');
  });

  it('refuses a file without tensors, a damaged header and missing tensor data', async () => {
    expect(await reasonOf(buildGguf({ tensors: [] }))).toContain('no tensors');
    expect(await reasonOf(tiny.subarray(0, 300))).toMatch(/header cannot be read|incomplete download/);
    expect(await reasonOf(buildGguf({ metadataCount: 2 ** 40 }))).toContain('header cannot be read');
    expect(await reasonOf(tiny.subarray(0, Math.floor(tiny.length / 2)))).toContain('incomplete download');
  });

  it('reports a missing file', async () => {
    expect(await inspectModelFile(join(dir.path, 'missing.gguf'))).toEqual({
      ok: false,
      reason: 'the file does not exist',
    });
  });
});

describe('checkGgufStart', () => {
  it('passes a supported start and describes others', () => {
    expect(checkGgufStart(tiny.subarray(0, 16))).toBeNull();
    expect(checkGgufStart(Buffer.from('GGUF'))).toMatchObject({ problem: 'truncated' });
    expect(checkGgufStart(Buffer.from('<html>\n  <head>'))).toMatchObject({ problem: 'not_gguf' });
  });
});

describe('split names', () => {
  it('finds every part from the first and knows a later part', () => {
    expect(modelFileParts('/m/x-00001-of-00003.gguf')).toEqual([
      '/m/x-00001-of-00003.gguf',
      '/m/x-00002-of-00003.gguf',
      '/m/x-00003-of-00003.gguf',
    ]);
    expect(modelFileParts('/m/x.gguf')).toEqual(['/m/x.gguf']);
    expect(isLaterSplitPart('x-00002-of-00003.gguf')).toBe(true);
    expect(isLaterSplitPart('x-00001-of-00003.gguf')).toBe(false);
  });
});

describe('readModelFacts', () => {
  it('returns the facts or throws a validation error naming the file and the reason', async () => {
    const good = join(dir.path, 'good.gguf');
    await writeFile(good, tiny);
    await expect(readModelFacts(good)).resolves.toMatchObject({ architecture: 'llama' });
    const bad = join(dir.path, 'page.gguf');
    await writeFile(bad, '<html>404</html>');
    const error = await readModelFacts(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NocturnalError);
    expect(error).toMatchObject({
      kind: 'validation',
      message: expect.stringMatching(/page\.gguf is not a usable GGUF model: .*HTML/),
    });
  });
});
