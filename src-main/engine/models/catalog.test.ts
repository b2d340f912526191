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

  it('has unique names and file names, hf: URIs that parse to the same file, and sane numbers', () => {
    expect(new Set(modelCatalog.map((m) => m.id)).size).toBe(modelCatalog.length);
    expect(new Set(modelCatalog.map((m) => m.fileName)).size).toBe(modelCatalog.length);
    for (const model of modelCatalog) {
      expect(model.uri, model.id).toMatch(/^hf:[^/]+\/[^/]+\/[^/]+\.gguf$/);
      const source = parseModelUri(model.uri);
      expect(source.fileName).toBe(model.fileName);
      expect(source.url).toMatch(/^https:\/\/huggingface\.co\/.+\/resolve\/main\/.+\.gguf$/);
      expect(model.ramBytes, model.id).toBeGreaterThan(model.sizeBytes);
      expect(model.contextLength, model.id).toBeGreaterThanOrEqual(4096);
      expect(model.note.length, model.id).toBeGreaterThan(10);
    }
  });
});
