// The models `nocturnal model list` recommends and `model pull NAME` knows by name. Any other GGUF can
// still be pulled by `hf:` URI or URL; this list only saves users from hunting for a good file.
//
// `sizeBytes` is the hub's listed file size, rounded, shown before a download (the download itself
// trusts the server). `ramBytes` is only a rough figure for a model that is not downloaded yet, when no
// header is at hand: once the file is here, `model list` shows node-llama-cpp's GgufInsights estimate
// from the real header instead (weights, KV cache at the context that fits, overhead), and that is
// what `auto` sizing and "fits this machine" use. Single-file Q4_K_M quantizations: the best
// size/quality trade-off on CPUs. Every URI names a file in its repository, spelt as its publisher
// names files (catalog.test.ts checks the shape; `model pull` says so clearly if one is ever gone).

import type { CatalogModel } from '../../../src-shared/domain/models';

export type { CatalogModel };

const GB = 1e9;

function entry(model: Omit<CatalogModel, 'fileName' | 'isDefault'> & { isDefault?: boolean }): CatalogModel {
  return { ...model, fileName: model.uri.slice(model.uri.lastIndexOf('/') + 1), isDefault: model.isDefault ?? false };
}

export const modelCatalog: readonly CatalogModel[] = [
  entry({
    id: 'codellama-13b-instruct',
    title: 'CodeLlama 13B Instruct (Q4_K_M)',
    uri: 'hf:TheBloke/CodeLlama-13B-Instruct-GGUF/codellama-13b-instruct.Q4_K_M.gguf',
    sizeBytes: 7.87 * GB,
    ramBytes: 12 * GB,
    contextLength: 16384,
    isDefault: true,
    note: 'the default (the product design); Llama-2 chat format, trained for 16k tokens; no grouped-query attention, so its KV cache is large (~0.8 MB a token: 16k tokens need ~13 GB more than the weights). The Qwen2.5-Coder models below edit code better for the memory',
  }),
  entry({
    id: 'qwen2.5-coder-7b-instruct',
    title: 'Qwen2.5-Coder 7B Instruct (Q4_K_M)',
    uri: 'hf:bartowski/Qwen2.5-Coder-7B-Instruct-GGUF/Qwen2.5-Coder-7B-Instruct-Q4_K_M.gguf',
    sizeBytes: 4.68 * GB,
    ramBytes: 6 * GB,
    contextLength: 32768,
    note: 'best pick for 8–16 GB machines: stronger at code edits than CodeLlama 13B at about half the memory',
  }),
  entry({
    id: 'qwen2.5-coder-14b-instruct',
    title: 'Qwen2.5-Coder 14B Instruct (Q4_K_M)',
    uri: 'hf:bartowski/Qwen2.5-Coder-14B-Instruct-GGUF/Qwen2.5-Coder-14B-Instruct-Q4_K_M.gguf',
    sizeBytes: 8.99 * GB,
    ramBytes: 11 * GB,
    contextLength: 32768,
    note: 'recommended with 16 GB or more: clearly better plans and edits than the 7B, about twice as slow',
  }),
  entry({
    id: 'qwen2.5-coder-32b-instruct',
    title: 'Qwen2.5-Coder 32B Instruct (Q4_K_M)',
    uri: 'hf:bartowski/Qwen2.5-Coder-32B-Instruct-GGUF/Qwen2.5-Coder-32B-Instruct-Q4_K_M.gguf',
    sizeBytes: 19.85 * GB,
    ramBytes: 22 * GB,
    contextLength: 32768,
    note: 'the strongest here; wants 32 GB of RAM or a 24 GB GPU, and is slow on CPU alone even overnight',
  }),
  entry({
    id: 'qwen2.5-coder-1.5b-instruct',
    title: 'Qwen2.5-Coder 1.5B Instruct (Q4_K_M)',
    uri: 'hf:bartowski/Qwen2.5-Coder-1.5B-Instruct-GGUF/Qwen2.5-Coder-1.5B-Instruct-Q4_K_M.gguf',
    sizeBytes: 0.99 * GB,
    ramBytes: 2 * GB,
    contextLength: 32768,
    note: 'for trying the pipeline on a small machine; expect many rejected attempts',
  }),
];

export function defaultCatalogModel(catalog: readonly CatalogModel[] = modelCatalog): CatalogModel | undefined {
  return catalog.find((m) => m.isDefault);
}

/** Looks a name up case-insensitively by id. */
export function findCatalogModel(
  name: string,
  catalog: readonly CatalogModel[] = modelCatalog,
): CatalogModel | undefined {
  const wanted = name.trim().toLowerCase();
  return catalog.find((m) => m.id.toLowerCase() === wanted);
}
