import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { defaultConfig } from '../../../src-shared/config/schema';
import { silentLogger } from '../log/logger';
import { createLlmProvider, resolveModelFile } from './create-provider';
import { LlmError } from './llm-error';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nocturnal-models-'));
  await writeFile(join(dir, 'coder.gguf'), 'not really a model');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createLlmProvider', () => {
  it('builds the provider llm.provider names, loading nothing', async () => {
    const log = silentLogger();
    expect(await createLlmProvider({ ...defaultConfig().llm, provider: 'openai', model: 'm' }, { log })).toMatchObject({
      name: 'openai',
      model: 'm',
    });
    expect(
      (
        await createLlmProvider(
          { ...defaultConfig().llm, provider: 'llama', model_path: 'coder' },
          { log, modelsDir: dir },
        )
      ).name,
    ).toBe('llama');
  });

  it('fails at start, loudly, when the embedded provider has no model_path', async () => {
    const provider = await createLlmProvider(
      { ...defaultConfig().llm, provider: 'llama', model_path: null },
      { log: silentLogger() },
    );
    const error = await provider.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toMatch(/^llm.model_path is not set: /);
  });

  it('reports a file that is not a GGUF model as a load failure naming the file', async () => {
    const provider = await createLlmProvider(
      { ...defaultConfig().llm, provider: 'llama', model_path: 'coder', gpu: false },
      { log: silentLogger(), modelsDir: dir },
    );
    const error = await provider.start().catch((e: unknown) => e);
    expect((error as LlmError).kind).toBe('permanent');
    expect((error as LlmError).message).toContain(`cannot load the model ${join(dir, 'coder.gguf')}`);
  });

  it('passes load progress through to the embedded provider', async () => {
    const progress: number[] = [];
    const config = {
      ...defaultConfig().llm,
      provider: 'llama' as const,
      model_path: await ensureTinyModel(),
      gpu: false as const,
      threads: 1,
      context_size: 512,
    };
    const provider = await createLlmProvider(config, { log: silentLogger(), onLoadProgress: (p) => progress.push(p) });
    await provider.start();
    await provider.stop();
    expect(progress.at(-1)).toBe(1);
  });
});

describe('resolveModelFile', () => {
  it('looks bare names up in the models folder and takes paths as given', () => {
    expect(resolveModelFile('coder', dir)).toBe(join(dir, 'coder.gguf'));
    expect(resolveModelFile('coder.gguf', dir)).toBe(join(dir, 'coder.gguf'));
    expect(resolveModelFile('/abs/model.gguf', dir)).toBe('/abs/model.gguf');
    expect(resolveModelFile('missing', dir)).toBe(join(dir, 'missing'));
  });
});
