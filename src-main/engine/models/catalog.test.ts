import { describe, expect, it } from 'vitest';
import { defaultCatalogModel, findCatalogModel, modelCatalog } from './catalog';
import { parseModelUri } from './model-uri';

describe('modelCatalog', () => {
  it('has exactly one default, CodeLlama-13B-Instruct (DESIGN §1)', () => {
    expect(modelCatalog.filter((m) => m.isDefault)).toHaveLength(1);
    expect(defaultCatalogModel()?.id).toBe('codellama-13b-instruct');
  });

  it('recommends the current Qwen2.5-Coder models', () => {
    expect(findCatalogModel('qwen2.5-coder-7b-instruct')?.uri).toMatch(/Q4_K_M\.gguf$/);
    expect(findCatalogModel('qwen2.5-coder-14b-instruct')?.uri).toMatch(/Q4_K_M\.gguf$/);
  });

  it('names, in every URI, a file spelt the way its repository names its files', () => {
    // Hub GGUF repositories name files after the model they hold: TheBloke lower-cases it and adds
    // `.Q4_K_M.gguf`, bartowski keeps the case and adds `-Q4_K_M.gguf`. A URI off that pattern names a
    // file the repository does not have (what `model pull` would report as gone).
    for (const model of modelCatalog) {
      const match = /^hf:([A-Za-z0-9-]+)\/([A-Za-z0-9.-]+)-GGUF\/([^/]+)$/.exec(model.uri);
      expect(match, model.uri).not.toBeNull();
      const [, publisher, repoModel, file] = match as unknown as [string, string, string, string];
      if (publisher === 'TheBloke') expect(file).toBe(`${repoModel.toLowerCase()}.Q4_K_M.gguf`);
      else if (publisher === 'bartowski') expect(file).toBe(`${repoModel}-Q4_K_M.gguf`);
      else throw new Error(`${model.uri}: a publisher whose file naming this test does not know`);
    }
  });

  it('explains in each note why one would choose it, the default pointing at the better choices', () => {
    expect(defaultCatalogModel()?.note).toContain('Qwen2.5-Coder');
    for (const model of modelCatalog) expect(model.note.length, model.id).toBeGreaterThan(30);
  });

  it('has unique names and file names, hf: URIs that parse to the same file, and sane numbers', () => {
    expect(new Set(modelCatalog.map((m) => m.id)).size).toBe(modelCatalog.length);
    expect(new Set(modelCatalog.map((m) => m.fileName)).size).toBe(modelCatalog.length);
    for (const model of modelCatalog) {
      expect(model.uri, model.id).toMatch(/^hf:[^/]+\/[^/]+\/[^/]+\.gguf$/);
      const source = parseModelUri(model.uri);
      expect(source.fileName).toBe(model.fileName);
      expect(source.probeUrl).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/main\/.+\.gguf$/);
      expect(model.ramBytes, model.id).toBeGreaterThan(model.sizeBytes);
      expect(model.contextLength, model.id).toBeGreaterThanOrEqual(4096);
      expect(model.note.length, model.id).toBeGreaterThan(10);
    }
  });
});
