// The model manager's records: the catalog of recommended GGUF models, what is installed in
// <home>/models, download progress, and the answers of pull / use / remove / free.
import { z } from 'zod';

export const llmProviderSchema = z.enum(['llama', 'openai']);

export const catalogModelSchema = z.object({
  /** The name used with `model pull` and `model use`. */
  id: z.string(),
  title: z.string(),
  /** `hf:<user>/<repo>/<file>.gguf` */
  uri: z.string(),
  fileName: z.string(),
  /** Download size in bytes as the hub lists it (shown before a download; the download trusts the server). */
  sizeBytes: z.number(),
  /**
   * Rough memory to run it at 4096 tokens, only for models not downloaded yet: once the file is here,
   * `fit` (GgufInsights on its real header) replaces it.
   */
  ramBytes: z.number(),
  contextLength: z.number().int(),
  isDefault: z.boolean(),
  note: z.string(),
});
export type CatalogModel = z.infer<typeof catalogModelSchema>;

/** What node-llama-cpp's GgufInsights estimates from a model's real header for this machine. */
export const modelFitSchema = z.object({
  trainContextSize: z.number().int().nullable(),
  /** The largest context (tokens per sequence) that fits the memory, up to the trained one; null when none does. */
  contextSize: z.number().int().nullable(),
  /** The weights' size. */
  modelBytes: z.number(),
  /** RAM for the weights plus the context at `contextSize`. */
  ramBytes: z.number(),
  vramBytes: z.number(),
  gpuLayers: z.number().int(),
  fits: z.boolean(),
});
export type ModelFit = z.infer<typeof modelFitSchema>;

export const installedModelSchema = z.object({
  /** What `models:use` and `models:remove` accept: the catalog id, else the file name. */
  name: z.string(),
  fileName: z.string(),
  path: z.string(),
  installed: z.boolean(),
  sizeBytes: z.number().nullable(),
  /** Bytes of an unfinished download that the next pull resumes. */
  partialBytes: z.number().nullable(),
  /** llm.model_path points to this file. */
  inUse: z.boolean(),
  /** Outside the models folder: listed only because llm.model_path points there. */
  external: z.boolean(),
  catalog: catalogModelSchema.nullable(),
  /** From the installed file's header; null when the model is not installed or its header is unreadable. */
  fit: modelFitSchema.nullable(),
});
export type InstalledModel = z.infer<typeof installedModelSchema>;

export const modelListSchema = z.object({
  modelsDir: z.string(),
  provider: llmProviderSchema,
  modelPath: z.string().nullable(),
  activePath: z.string().nullable(),
  activeExists: z.boolean(),
  models: z.array(installedModelSchema),
  /**
   * llm.context_size / llm.max_tokens as they will be used: `auto` resolved from the model in use
   * (its fit on this machine), a configured number as is, or the stated fallback for a server.
   */
  sizing: z.object({ contextSize: z.number().int(), maxTokens: z.number().int(), source: z.string() }).nullable(),
  /** This machine's total memory, to compare with each catalog model's `ramBytes` ("fits this machine"). */
  machineMemoryBytes: z.number(),
});
export type ModelList = z.infer<typeof modelListSchema>;

export const ggufFactsSchema = z.object({
  version: z.number().int(),
  tensorCount: z.number().int(),
  architecture: z.string().nullable(),
  name: z.string().nullable(),
  contextLength: z.number().int().nullable(),
  splitCount: z.number().int(),
  fileSize: z.number(),
});
export type GgufFacts = z.infer<typeof ggufFactsSchema>;

export const downloadProgressSchema = z.object({
  fileName: z.string(),
  phase: z.enum(['connecting', 'downloading', 'verifying']),
  bytesDone: z.number(),
  bytesTotal: z.number().nullable(),
  resumedFrom: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
});
export type DownloadProgress = z.infer<typeof downloadProgressSchema>;

export const pullResultSchema = z.object({
  name: z.string(),
  fileName: z.string(),
  path: z.string(),
  bytes: z.number(),
  alreadyInstalled: z.boolean(),
  resumedFrom: z.number(),
  facts: ggufFactsSchema,
  inUse: z.boolean(),
});
export type PullResult = z.infer<typeof pullResultSchema>;

/** `models:progress`: one download's progress, then how it ended. */
export const modelProgressSchema = z.object({
  /** What was asked for (a catalog name, hf: URI or URL): the key `models:cancel` takes. */
  uri: z.string(),
  state: z.enum(['downloading', 'done', 'failed', 'cancelled']),
  progress: downloadProgressSchema.nullable(),
  result: pullResultSchema.nullable(),
  error: z.string().nullable(),
});
export type ModelProgress = z.infer<typeof modelProgressSchema>;

export const useModelResultSchema = z.object({
  modelPath: z.string(),
  path: z.string(),
  facts: ggufFactsSchema,
  configFile: z.string(),
  /** An environment variable that overrides llm.model_path, so the change has no effect while set. */
  shadowedBy: z.string().nullable(),
  provider: llmProviderSchema,
});
export type UseModelResult = z.infer<typeof useModelResultSchema>;

export const removeModelResultSchema = z.object({ name: z.string(), removed: z.array(z.string()) });
export type RemoveModelResult = z.infer<typeof removeModelResultSchema>;

/** Share of the machine's memory a model may take and still leave room for the system and the checks. */
export const modelMemoryShare = 0.75;

/** Whether a model needing `ramBytes` fits a machine with `machineMemoryBytes` in all. */
export function fitsMachine(ramBytes: number, machineMemoryBytes: number): boolean {
  return ramBytes <= machineMemoryBytes * modelMemoryShare;
}
