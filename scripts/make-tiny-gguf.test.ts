import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf, parseGgufArguments, tinyModelDims, tinyVocab } from './make-tiny-gguf';
import { ensureTinyModel, tinyModelPath } from './tiny-model-fixture';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nocturnal-gguf-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('make-tiny-gguf', () => {
  it('is deterministic', () => {
    expect(buildTinyGguf().equals(buildTinyGguf())).toBe(true);
  });

  it('writes a GGUF v3 llama model that node-llama-cpp reads back', async () => {
    const out = join(dir, 'tiny.gguf');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join('scripts', 'make-tiny-gguf.ts'), out]);
    const bytes = await readFile(out);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('GGUF');
    expect(bytes.readUInt32LE(4)).toBe(3);
    expect(bytes.equals(buildTinyGguf())).toBe(true);

    const info = await readGgufFileInfo(out);
    const vocab = tinyVocab();
    const meta = info.metadata as unknown as {
      general: { architecture: string; name: string };
      llama: { context_length: number; embedding_length: number; block_count: number };
      tokenizer: { ggml: { model: string; tokens: string[]; token_type: number[] }; chat_template: string };
    };
    expect(meta.general).toMatchObject({ architecture: 'llama', name: 'nocturnal-tiny' });
    expect(meta.llama).toMatchObject({
      context_length: tinyModelDims.contextLength,
      embedding_length: tinyModelDims.embedding,
      block_count: tinyModelDims.layers,
    });
    expect(meta.tokenizer.ggml.model).toBe('llama');
    expect(meta.tokenizer.ggml.tokens).toEqual(vocab.tokens);
    expect(meta.tokenizer.chat_template).toContain('[INST]');
    const names = (info.fullTensorInfo ?? []).map((t) => t.name);
    expect(names).toContain('blk.1.ffn_down.weight');
    expect(names).toHaveLength(3 + 9 * tinyModelDims.layers);
  });

  it('has all 256 byte tokens and the protocol key words as single tokens', () => {
    const vocab = tinyVocab();
    const bytes = vocab.tokens.filter((t, i) => vocab.types[i] === 6);
    expect(bytes).toHaveLength(256);
    expect(bytes[0x0a]).toBe('<0x0A>');
    for (const piece of ['summary', 'edits', 'path', 'score', 'verdict', '{"', '":'])
      expect(vocab.tokens).toContain(piece);
    expect(new Set(vocab.tokens).size).toBe(vocab.tokens.length);
  });

  it('keeps the shared fixture in place and up to date', async () => {
    expect(await ensureTinyModel()).toBe(tinyModelPath);
    expect((await readFile(tinyModelPath)).equals(buildTinyGguf())).toBe(true);
  });

  it('reads the preset options and refuses bad ones with exit code 2', async () => {
    expect(parseGgufArguments(['out.gguf'])).toEqual({ out: 'out.gguf' });
    expect(parseGgufArguments(['out.gguf', '--preset', '13b', '--layers', '4'])).toEqual({
      out: 'out.gguf',
      preset: { id: '13b', type: 'q4_0', vocab: 'real', layers: 4 },
    });
    expect(parseGgufArguments(['o.gguf', '--preset', '7b', '--type', 'f16', '--vocab', 'tiny'])).toEqual({
      out: 'o.gguf',
      preset: { id: '7b', type: 'f16', vocab: 'tiny' },
    });
    expect(parseGgufArguments(['o.gguf', '--layers', '2'])).toEqual({ error: '--layers only apply with --preset' });
    expect(parseGgufArguments(['o.gguf', '--preset', '7b', '--layers', '0'])).toEqual({
      error: '--layers takes a positive integer, got "0"',
    });
    expect(parseGgufArguments(['o.gguf', '--preset'])).toEqual({ error: '--preset needs a value' });
    expect(parseGgufArguments([])).toEqual({ error: 'expected exactly one OUT.gguf path' });
    const run = promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      join('scripts', 'make-tiny-gguf.ts'),
      join(dir, 'x.gguf'),
      '--preset',
      '70b',
    ]);
    await expect(run).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--preset takes 1b, 7b, 13b, got "70b"'),
    });
  });
});
