// The manager against a real home folder, a real config.yaml and a loopback server standing in for the
// hub (HF_ENDPOINT points `hf:` URIs and catalog names at it).
import { totalmem } from 'node:os';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { loadConfig, setConfigValue } from '../config/config-file';
import { NocturnalError } from '../errors/nocturnal-error';
import { createTempDir } from '../git/testing/temp-repo';
import { resolveModelFile } from '../llm/create-provider';
import { silentLogger } from '../log/logger';
import { findCatalogModel } from './catalog';
import { stagingDirFor } from './model-downloader';
import { ModelManager } from './model-manager';
import { startModelFileServer } from './testing/model-file-server';
import type { ModelFileServer } from './testing/model-file-server';
import { modelShapes } from '../../../scripts/gguf-shapes';
import { writeShapedGguf } from '../../../scripts/write-shaped-gguf';
import { buildSplitGguf } from './testing/split-gguf';

const codellama = findCatalogModel('codellama-13b-instruct');
if (!codellama) throw new Error('catalog lost its default');
const codellamaPath = '/TheBloke/CodeLlama-13B-Instruct-GGUF/resolve/main/codellama-13b-instruct.Q4_K_M.gguf';

let tiny: Buffer;
let tinyPath: string;
let home: { path: string; cleanup(): Promise<void> };
let hub: ModelFileServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  tinyPath = await ensureTinyModel();
  tiny = await readFile(tinyPath);
});
beforeEach(async () => {
  home = await createTempDir('nocturnal-models-home-');
  hub = await startModelFileServer({ [codellamaPath]: { body: tiny } });
  env = { HF_ENDPOINT: hub.url };
});
afterEach(async () => {
  await hub.close();
  await home.cleanup();
});

const manager = (extra: NodeJS.ProcessEnv = {}, cwd?: string, machine?: { ramTotal: number; ramFree: number }) =>
  new ModelManager({
    home: home.path,
    env: { ...env, ...extra },
    log: silentLogger(),
    ...(cwd ? { cwd } : {}),
    ...(machine ? { machine } : {}),
  });
const gb = 1e9;
const modelsDir = () => join(home.path, 'models');

async function failure(promise: Promise<unknown>): Promise<NocturnalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NocturnalError)) throw new Error(`expected a NocturnalError, got ${String(error)}`);
  return error;
}

describe('ModelManager.list', () => {
  it('shows the catalog, nothing installed, and no model chosen in a fresh home', async () => {
    const list = await manager().list();
    expect(list).toMatchObject({
      modelsDir: modelsDir(),
      provider: 'llama',
      modelPath: null,
      activePath: null,
      activeExists: false,
      machineMemoryBytes: totalmem(),
    });
    expect(list.models[0]).toMatchObject({
      name: 'codellama-13b-instruct',
      installed: false,
      inUse: false,
      sizeBytes: null,
      catalog: { isDefault: true },
    });
    expect(list.models.every((m) => m.catalog !== null && !m.installed)).toBe(true);
  });

  it('lists other .gguf files, unfinished downloads and an external model_path', async () => {
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), 'mine.gguf'), tiny);
    await mkdir(stagingDirFor(modelsDir()), { recursive: true });
    await writeFile(join(stagingDirFor(modelsDir()), `${codellama.fileName}.ipull`), tiny.subarray(0, 1234));
    await writeFile(join(modelsDir(), 'notes.txt'), 'ignored');
    setConfigValue(home.path, ['llm', 'model_path'], tinyPath);

    const list = await manager().list();
    expect(list).toMatchObject({ modelPath: tinyPath, activePath: tinyPath, activeExists: true });
    expect(list.models.find((m) => m.name === 'codellama-13b-instruct')).toMatchObject({
      installed: false,
      partialBytes: 1234,
    });
    expect(list.models.find((m) => m.name === 'mine.gguf')).toMatchObject({
      installed: true,
      sizeBytes: tiny.length,
      catalog: null,
      inUse: false,
    });
    expect(list.models.find((m) => m.inUse)).toMatchObject({
      name: tinyPath,
      external: true,
      installed: true,
      sizeBytes: tiny.length,
    });
    expect(list.models.some((m) => m.fileName === 'notes.txt')).toBe(false);
  });

  it('lists a split model once, by its first part, with the size of all its parts', async () => {
    const [first, second] = buildSplitGguf();
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), 'big-00001-of-00002.gguf'), first);
    await writeFile(join(modelsDir(), 'big-00002-of-00002.gguf'), second);
    const list = await manager().list();
    const split = list.models.filter((m) => m.fileName.startsWith('big-'));
    expect(split.map((m) => m.fileName)).toEqual(['big-00001-of-00002.gguf']);
    expect(split[0]).toMatchObject({ installed: true, sizeBytes: first.length + second.length });
  });

  it("shows what fits from the installed file's own header, and resolves llm.context_size auto from it", async () => {
    await mkdir(modelsDir(), { recursive: true });
    await writeShapedGguf(join(modelsDir(), codellama.fileName), {
      shape: modelShapes['13b'],
      type: 'q4_0',
      headerOnly: true,
    });
    await manager()
      .use('codellama-13b-instruct')
      .catch(() => undefined);
    setConfigValue(home.path, ['llm', 'model_path'], codellama.fileName);
    // A 32 GB machine: the whole trained context fits; a 16 GB one: less than the trained context.
    const roomy = await manager({}, undefined, { ramTotal: 32 * gb, ramFree: 28 * gb }).list();
    const entry = roomy.models.find((m) => m.name === 'codellama-13b-instruct');
    expect(entry?.fit).toMatchObject({ trainContextSize: 16384, contextSize: 16384, fits: true });
    expect(entry?.fit?.modelBytes).toBeGreaterThan(7 * gb);
    expect(entry?.fit?.modelBytes).toBeLessThan(8 * gb);
    expect(roomy.sizing).toEqual({
      contextSize: 16384,
      maxTokens: 4096,
      source: "llm.context_size auto: 16384, the model's trained context; llm.max_tokens auto: 4096 (a quarter of it)",
    });
    const small = await manager({}, undefined, { ramTotal: 16 * gb, ramFree: 12 * gb }).list();
    const smallFit = small.models.find((m) => m.name === 'codellama-13b-instruct')?.fit;
    expect(smallFit?.contextSize).toBeGreaterThan(2048);
    expect(smallFit?.contextSize).toBeLessThan(16384);
    expect(smallFit?.fits).toBe(false);
    expect(small.sizing?.source).toContain("that fits this machine's memory");
    // A configured number is used as it is.
    setConfigValue(home.path, ['llm', 'context_size'], 4096);
    expect((await manager({}, undefined, { ramTotal: 16 * gb, ramFree: 12 * gb }).list()).sizing).toMatchObject({
      contextSize: 4096,
      maxTokens: 1024,
    });
  });
});

describe('ModelManager.pull', () => {
  it('pulls a catalog model by name from the hub, then finds it installed', async () => {
    const phases = new Set<string>();
    const pulled = await manager().pull('codellama-13b-instruct', { onProgress: (p) => phases.add(p.phase) });
    expect(pulled).toMatchObject({
      name: 'codellama-13b-instruct',
      fileName: codellama.fileName,
      path: join(modelsDir(), codellama.fileName),
      bytes: tiny.length,
      alreadyInstalled: false,
      inUse: false,
    });
    expect([...phases]).toEqual(['connecting', 'downloading', 'verifying']);
    expect(new Set(hub.requests.map((r) => r.path))).toEqual(new Set([codellamaPath]));

    const asked = hub.requests.length;
    const again = await manager().pull('codellama-13b-instruct');
    expect(again).toMatchObject({ alreadyInstalled: true, bytes: tiny.length });
    expect(hub.requests).toHaveLength(asked);
    expect((await manager().list()).models[0]).toMatchObject({
      installed: true,
      sizeBytes: tiny.length,
      partialBytes: null,
    });
  });

  it('pulls an hf: URI and sends HF_TOKEN to the hub only', async () => {
    hub.serve('/u/r/resolve/main/tiny.gguf', { body: tiny });
    const elsewhere = await startModelFileServer({ '/files/other.gguf': { body: tiny } });
    try {
      await manager({ HF_TOKEN: 'hf_secrettokenvalue1234567890' }).pull('hf:u/r/tiny.gguf');
      expect(hub.requests[0]?.headers.authorization).toBe('Bearer hf_secrettokenvalue1234567890');
      await manager({ HF_TOKEN: 'hf_secrettokenvalue1234567890' }).pull(`${elsewhere.url}/files/other.gguf`);
      expect(elsewhere.requests.length).toBeGreaterThan(0);
      for (const request of elsewhere.requests) expect(request.headers.authorization).toBeUndefined();
      expect((await readdir(modelsDir())).filter((f) => !f.startsWith('.')).sort()).toEqual([
        'other.gguf',
        'tiny.gguf',
      ]);
    } finally {
      await elsewhere.close();
    }
  });

  it('fails cleanly on 404 and on a non-GGUF file, leaving nothing', async () => {
    const gone = await failure(manager().pull('hf:u/r/missing.gguf'));
    expect(gone.kind).toBe('not_found');
    expect(gone.message).toContain('hf:u/r/missing.gguf does not exist (HTTP 404');
    hub.serve('/u/r/resolve/main/page.gguf', { body: Buffer.from('<html>login</html>') });
    expect((await failure(manager().pull('hf:u/r/page.gguf'))).kind).toBe('validation');
    expect((await readdir(modelsDir())).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it('refuses to pull over an existing file that is not a model', async () => {
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), codellama.fileName), 'garbage');
    const error = await failure(manager().pull('codellama-13b-instruct'));
    expect(error.kind).toBe('conflict');
    expect(error.message).toContain(`nocturnal model remove ${codellama.fileName}`);
    expect(hub.requests).toHaveLength(0);
  });

  it('refuses a malformed source with a usage error before touching the network', async () => {
    expect((await failure(manager().pull('hf:only-a-user'))).kind).toBe('usage');
    expect(hub.requests).toHaveLength(0);
  });
});

describe('ModelManager.use', () => {
  it('stores the bare file name for a model in the models folder, which the provider resolves back', async () => {
    await manager().pull('codellama-13b-instruct');
    const used = await manager().use('codellama-13b-instruct');
    expect(used).toMatchObject({
      modelPath: codellama.fileName,
      path: join(modelsDir(), codellama.fileName),
      shadowedBy: null,
      provider: 'llama',
      facts: { architecture: 'llama' },
    });
    const config = loadConfig({ home: home.path, env: {} });
    expect(config.llm.model_path).toBe(codellama.fileName);
    expect(resolveModelFile(codellama.fileName, modelsDir())).toBe(used.path);
    const list = await manager().list();
    expect(list.models.filter((m) => m.inUse).map((m) => m.name)).toEqual(['codellama-13b-instruct']);
    expect((await manager().pull('codellama-13b-instruct')).inUse).toBe(true);
  });

  it('accepts a file name with or without .gguf, and stores an absolute path for files elsewhere', async () => {
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), 'mine.gguf'), tiny);
    expect((await manager().use('mine')).modelPath).toBe('mine.gguf');
    expect((await manager().use(tinyPath)).modelPath).toBe(tinyPath);
    const relative = await manager({}, join(tinyPath, '..')).use('./tiny-llama.gguf');
    expect(relative.modelPath).toBe(tinyPath);
    expect(loadConfig({ home: home.path, env: {} }).llm.model_path).toBe(tinyPath);
  });

  it('keeps the user’s comments in config.yaml', async () => {
    await writeFile(join(home.path, 'config.yaml'), '# my settings\nllm:\n  temperature: 0.3 # warmer\n');
    await manager().use(tinyPath);
    const text = await readFile(join(home.path, 'config.yaml'), 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('# warmer');
    expect(text).toContain(`model_path: ${tinyPath}`);
  });

  it('refuses missing files, non-GGUF files and uninstalled catalog models without touching the config', async () => {
    const notFound = await failure(manager().use('nothing-here'));
    expect(notFound.kind).toBe('not_found');
    expect(notFound.message).toContain('nothing is installed yet');
    expect((await failure(manager().use('qwen2.5-coder-7b-instruct'))).message).toContain(
      'nocturnal model pull qwen2.5-coder-7b-instruct',
    );
    const bogus = join(home.path, 'bogus.gguf');
    await writeFile(bogus, '{"error":"nope"}');
    const invalid = await failure(manager().use(bogus));
    expect(invalid.kind).toBe('validation');
    expect(invalid.message).toContain('JSON');
    expect((await failure(manager().use(home.path))).kind).toBe('validation');
    expect((await failure(manager().use(' '))).kind).toBe('usage');
    expect(loadConfig({ home: home.path, env: {} }).llm.model_path).toBeNull();
  });

  it('says when NOCTURNAL_LLM_MODEL_PATH overrides the file', async () => {
    const used = await manager({ NOCTURNAL_LLM_MODEL_PATH: '/elsewhere.gguf' }).use(tinyPath);
    expect(used.shadowedBy).toBe('NOCTURNAL_LLM_MODEL_PATH');
  });
});

describe('ModelManager.remove', () => {
  it('removes a model and its unfinished download, but not the one in use or anything outside', async () => {
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), 'a.gguf'), tiny);
    await mkdir(stagingDirFor(modelsDir()), { recursive: true });
    await writeFile(join(stagingDirFor(modelsDir()), 'a.gguf.ipull'), tiny.subarray(0, 10));
    await writeFile(join(modelsDir(), 'b.gguf'), tiny);
    await manager().use('b.gguf');

    expect((await manager().remove('a.gguf')).removed).toEqual([
      join(modelsDir(), 'a.gguf'),
      join(stagingDirFor(modelsDir()), 'a.gguf.ipull'),
    ]);
    expect((await failure(manager().remove('b.gguf'))).kind).toBe('conflict');
    expect((await failure(manager().remove('a.gguf'))).kind).toBe('not_found');
    expect((await failure(manager().remove(tinyPath))).kind).toBe('usage');
    expect((await failure(manager().remove('../config.yaml'))).kind).toBe('usage');
    expect((await readdir(modelsDir())).filter((f) => !f.startsWith('.'))).toEqual(['b.gguf']);
  });

  it('removes every part of a split model', async () => {
    const [first, second] = buildSplitGguf();
    await mkdir(modelsDir(), { recursive: true });
    await writeFile(join(modelsDir(), 'big-00001-of-00002.gguf'), first);
    await writeFile(join(modelsDir(), 'big-00002-of-00002.gguf'), second);
    expect((await manager().remove('big-00001-of-00002.gguf')).removed).toEqual([
      join(modelsDir(), 'big-00001-of-00002.gguf'),
      join(modelsDir(), 'big-00002-of-00002.gguf'),
    ]);
    expect((await readdir(modelsDir())).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});
