import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTinyGguf, tinyModelDims, tinyVocab } from './make-tiny-gguf';
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
    expect(meta.llama).toMatchObject({ context_length: tinyModelDims.contextLength, embedding_length: tinyModelDims.embedding, block_count: tinyModelDims.layers });
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
    for (const piece of ['summary', 'edits', 'path', 'score', 'verdict', '{"', '":']) expect(vocab.tokens).toContain(piece);
    expect(new Set(vocab.tokens).size).toBe(vocab.tokens.length);
  });

  it('keeps the shared fixture in place and up to date', async () => {
    expect(await ensureTinyModel()).toBe(tinyModelPath);
    expect((await readFile(tinyModelPath)).equals(buildTinyGguf())).toBe(true);
  });
});
