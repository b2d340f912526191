import { describe, expect, it } from 'vitest';
import { NocturnalError } from '../errors/nocturnal-error';
import { parseModelUri } from './model-uri';

function usageError(input: string): NocturnalError {
  try {
    parseModelUri(input);
  } catch (error) {
    if (error instanceof NocturnalError) return error;
    throw error;
  }
  throw new Error(`"${input}" was accepted`);
}

describe('parseModelUri', () => {
  it('turns hf:USER/REPO/FILE.gguf into the downloader URI and the hub URL to probe', () => {
    expect(parseModelUri('hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf')).toEqual({
      kind: 'hf',
      input: 'hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
      uri: 'hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
      probeUrl:
        'https://huggingface.co/bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/resolve/main/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
      fileName: 'Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
      onHub: true,
    });
  });

  it('accepts hf:USER/REPO:FILE.gguf, files in subfolders, and a mirror as the hub', () => {
    expect(parseModelUri('hf:u/r:m.gguf')).toMatchObject({
      uri: 'hf:u/r/m.gguf',
      probeUrl: 'https://huggingface.co/u/r/resolve/main/m.gguf',
    });
    const nested = parseModelUri('hf:u/r/Q4_K_M/my model.gguf', { hubUrl: 'http://127.0.0.1:9/' });
    expect(nested).toMatchObject({
      probeUrl: 'http://127.0.0.1:9/u/r/resolve/main/Q4_K_M/my%20model.gguf',
      fileName: 'my model.gguf',
      onHub: true,
    });
  });

  it('hands hf:USER/REPO:QUANT to node-llama-cpp, which asks the hub for the file', () => {
    expect(parseModelUri('hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M')).toEqual({
      kind: 'hf',
      input: 'hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M',
      uri: 'hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF:Q4_K_M',
      probeUrl: null,
      fileName: null,
      onHub: true,
    });
  });

  it('accepts the first part of a split model (it brings every part)', () => {
    expect(parseModelUri('hf:u/r/big-Q4_K_M-00001-of-00003.gguf')).toMatchObject({
      fileName: 'big-Q4_K_M-00001-of-00003.gguf',
      uri: 'hf:u/r/big-Q4_K_M-00001-of-00003.gguf',
    });
  });

  it('resolves catalog names, case-insensitively', () => {
    const source = parseModelUri('CodeLlama-13B-Instruct');
    expect(source).toMatchObject({
      kind: 'catalog',
      uri: 'hf:TheBloke/CodeLlama-13B-Instruct-GGUF/codellama-13b-instruct.Q4_K_M.gguf',
      probeUrl:
        'https://huggingface.co/TheBloke/CodeLlama-13B-Instruct-GGUF/resolve/main/codellama-13b-instruct.Q4_K_M.gguf',
      fileName: 'codellama-13b-instruct.Q4_K_M.gguf',
      onHub: true,
    });
    expect(source.catalog?.id).toBe('codellama-13b-instruct');
  });

  it('accepts plain http(s) URLs of .gguf files and marks only hub URLs as the hub', () => {
    expect(parseModelUri('http://127.0.0.1:8080/files/tiny.gguf?download=1')).toMatchObject({
      kind: 'url',
      fileName: 'tiny.gguf',
      onHub: false,
      uri: 'http://127.0.0.1:8080/files/tiny.gguf?download=1',
      probeUrl: 'http://127.0.0.1:8080/files/tiny.gguf?download=1',
    });
    expect(parseModelUri('https://example.com/a%20b.gguf')).toMatchObject({ fileName: 'a b.gguf', onHub: false });
    // The hub's page link is rewritten to the file itself.
    expect(parseModelUri('https://huggingface.co/u/r/blob/main/m.gguf')).toMatchObject({
      uri: 'https://huggingface.co/u/r/resolve/main/m.gguf',
      onHub: true,
    });
  });

  it('refuses everything else with a usage error that lists the accepted forms', () => {
    for (const input of [
      '',
      '  ',
      'not-a-model',
      'hf:user',
      'hf:user/repo',
      'hf:user/repo/model.bin',
      'hf:us er/repo/m.gguf',
      'hf:u/r/../m.gguf',
      'hf:u/r:Q4 K',
      'hf:u/r/x:Q4_K_M',
      'ftp://host/m.gguf',
      'https://example.com/model.safetensors',
      'https://user:pw@example.com/m.gguf',
      'https://example.com/.hidden.gguf',
      'hf:u/r/a\u0001.gguf',
    ]) {
      const error = usageError(input);
      expect(error.kind, input).toBe('usage');
      expect(error.message, input).toContain('hf:USER/REPO/FILE.gguf');
      expect(error.message, input).toContain('codellama-13b-instruct');
    }
    expect(usageError('hf:u/r:Q4 K').message).toContain('neither a quantization name');
    expect(usageError('https://user:pw@example.com/m.gguf').message).toContain('credentials');
  });

  it('refuses a later part of a split model, pointing at the first', () => {
    expect(usageError('hf:u/r/big-Q4_K_M-00002-of-00003.gguf').message).toContain(
      'pull the first part (…-00001-of-….gguf)',
    );
  });
});
