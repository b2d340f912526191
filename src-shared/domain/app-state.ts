// What the app's header, tray and status line show: who answers, night mode and its window, and the
// engine's state (`status:get`, `status --json`).
import { z } from 'zod';
import type { Config } from '../config/schema';
import { budgetStatusSchema } from './budget';
import { sessionSchema, timestampSchema } from './records';
import { setupChecklistSchema } from './setup';
import { taskPrioritySchema, taskStatuses } from './task';
import type { TaskStatus } from './task';

export const appInfoSchema = z.object({
  productName: z.string(),
  version: z.string(),
  /** Node's platform name of the machine the engine runs on. */
  platform: z.string(),
  /** The data folder: config.yaml, database, logs, worktrees, models. */
  home: z.string(),
  /** Which face answers: the desktop app, the CLI or the loopback server. */
  host: z.enum(['electron', 'cli', 'server']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const nightWindowSchema = z.object({
  startTime: z.string(),
  endTime: z.string(),
  timezone: z.string(),
});
export type NightWindow = z.infer<typeof nightWindowSchema>;

/** Night mode armed or not, with the window it applies to. */
export const nightModeStateSchema = z.object({
  enabled: z.boolean(),
  window: nightWindowSchema,
});
export type NightModeState = z.infer<typeof nightModeStateSchema>;

export const queueCountsSchema = z.object(
  Object.fromEntries(taskStatuses.map((status) => [status, z.number().int()])) as Record<TaskStatus, z.ZodNumber>,
);
export type QueueCounts = z.infer<typeof queueCountsSchema>;

/** One queued task in the night plan: its estimate, where the estimate came from, and whether it fits. */
export const plannedTaskSchema = z.object({
  taskId: z.string(),
  title: z.string(),
  priority: taskPrioritySchema,
  /** Estimated tokens the model generates for it (all passes). */
  tokens: z.number(),
  /** Estimated minutes, model and checks together. */
  minutes: z.number(),
  /** `history`: medians of past attempts in the same workspace; `prior`: no history, a stated default. */
  basis: z.enum(['history', 'prior']),
  /** How many past attempts the estimate rests on (0 for the prior). */
  samples: z.number().int(),
  fits: z.boolean(),
  /** When it would start in the window (null when it waits for another night). */
  startsAt: timestampSchema.nullable(),
});
export type PlannedTask = z.infer<typeof plannedTaskSchema>;

/** What fits the next (or current) night window, from the model's measured speed and past attempts. */
export const nightPlanSchema = z.object({
  windowStart: timestampSchema,
  windowEnd: timestampSchema,
  /** Generated tokens per second, prompt evaluation folded in, as the usage ledger measured it (or the prior). */
  tokensPerSecond: z.number(),
  contextSize: z.number().int(),
  speedBasis: z.string(),
  /** Queue order: by priority, then what fits the time left (a long task does not block shorter ones). */
  tasks: z.array(plannedTaskSchema),
  fitting: z.number().int(),
  /** "3 of 5 tasks fit tonight; 2 wait for tomorrow". */
  summary: z.string(),
});
export type NightPlan = z.infer<typeof nightPlanSchema>;

export const engineStatusSchema = z.object({
  home: z.string(),
  nightMode: nightModeStateSchema,
  /** The night window is open now (on the configured zone's wall clock). */
  windowOpen: z.boolean(),
  /** When the scheduler next opens the window (null while it is open). */
  nextStart: timestampSchema.nullable(),
  /** A process holding the engine lock (this one or another: the CLI's `run`). */
  running: z.object({ pid: z.number().int(), purpose: z.string(), since: timestampSchema }).nullable(),
  /** The session in progress, if any. */
  session: sessionSchema.nullable(),
  /** A stop was asked for: the session ends after the current task. */
  stopping: z.boolean(),
  queue: queueCountsSchema,
  waitingReviews: z.number().int(),
  lastSession: sessionSchema.nullable(),
  provider: z.enum(['llama', 'openai']),
  model: z.string().nullable(),
  /** The embedded model is in memory (`models:free` releases it). */
  modelLoaded: z.boolean(),
  /** llm.context_size / llm.max_tokens as used (`auto` resolved once the model is loaded), with where they came from. */
  contextSizing: z.string().optional(),
  /** Workspaces whose last dependency setup failed (reported per workspace, DESIGN §9b). */
  setupFailures: z.array(z.object({ workspace: z.string(), message: z.string() })),
  /** What stands between this home and an armed night, each missing step with its fix. */
  setup: setupChecklistSchema,
  /** This month's spending and the budget alerts raised for it. */
  budget: budgetStatusSchema.optional(),
  /** The night plan for the queued tasks; absent when nothing is queued. */
  plan: nightPlanSchema.optional(),
});
export type EngineStatus = z.infer<typeof engineStatusSchema>;

/** Night mode as the config says it (`scheduler.night_mode` and the window). */
export function nightModeOf(config: Pick<Config, 'scheduler'>): NightModeState {
  const { night_mode, start_time, end_time, timezone } = config.scheduler;
  return { enabled: night_mode, window: { startTime: start_time, endTime: end_time, timezone } };
}
