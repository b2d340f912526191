// The first run's records (`setup:get` and `status:get`'s `setup`): what stands between this home
// and an armed night, the model servers found on this machine, and the embedded model that fits it.
import { z } from 'zod';
import { catalogModelSchema } from './models';

export const setupStepIdSchema = z.enum(['model', 'repository', 'night']);
export type SetupStepId = z.infer<typeof setupStepIdSchema>;

export const setupStepSchema = z.object({
  id: setupStepIdSchema,
  done: z.boolean(),
  /** What is missing, in a user's words ("no model yet"); null when done. */
  missing: z.string().nullable(),
  /** The one action that fixes it (a command for the terminal; the window shows its own button). */
  fix: z.string().nullable(),
});
export type SetupStep = z.infer<typeof setupStepSchema>;

export const setupChecklistSchema = z.object({
  complete: z.boolean(),
  steps: z.array(setupStepSchema),
});
export type SetupChecklist = z.infer<typeof setupChecklistSchema>;

const serverIdSchema = z.enum(['lm-studio', 'ollama', 'llama-server', 'configured']);

export const discoveredServerSchema = z.object({
  id: serverIdSchema,
  name: z.string(),
  /** Base URL ending in /v1, ready for llm.api_url. */
  apiUrl: z.string(),
  /** Model ids from GET /v1/models, in the server's order. */
  models: z.array(z.string()),
});
export type DiscoveredServer = z.infer<typeof discoveredServerSchema>;

export const skippedServerSchema = z.object({
  id: serverIdSchema,
  name: z.string(),
  apiUrl: z.string(),
  /** Why it is not offered ("nothing is listening", "answered HTTP 404", …). */
  reason: z.string(),
});
export type SkippedServer = z.infer<typeof skippedServerSchema>;

export const modelFitSchema = z.object({
  model: catalogModelSchema,
  /** Whether its estimated resident memory fits this machine's share for models. */
  fits: z.boolean(),
  /** The file is already in <home>/models. */
  downloaded: z.boolean(),
});
export type ModelFit = z.infer<typeof modelFitSchema>;

export const setupInfoSchema = z.object({
  checklist: setupChecklistSchema,
  servers: z.object({ found: z.array(discoveredServerSchema), skipped: z.array(skippedServerSchema) }),
  embedded: z.object({
    /** This machine's memory, which the fits are judged against. */
    totalMemoryBytes: z.number(),
    recommended: modelFitSchema,
    /** One sentence: why this one, and when another would be better. */
    why: z.string(),
    /** Every catalog model with its fit, recommended first. */
    options: z.array(modelFitSchema),
  }),
  /** The IANA zone the night window is read in (scheduler.timezone, else this machine's). */
  timezone: z.string(),
});
export type SetupInfo = z.infer<typeof setupInfoSchema>;

/** `setup:useEmbedded`: the config now names the model; the download runs on (models:progress). */
export const useEmbeddedAnswerSchema = z.object({
  modelId: z.string(),
  uri: z.string(),
  /** False when the file was already there and nothing is downloaded. */
  downloading: z.boolean(),
});
export type UseEmbeddedAnswer = z.infer<typeof useEmbeddedAnswerSchema>;
