// The records the engine hands to every face (CLI --json, IPC, the loopback server): zod schemas with
// their inferred types, camelCase and JSON-safe. Record schemas are plain objects (unknown keys are
// dropped on the way out), so an engine field that is not in the contract never leaks to a face.
import { z } from 'zod';
import {
  attemptDecisionSchema,
  attemptSpecSchema,
  attemptStatusSchema,
  checkOutcomeSchema,
  diffStatsSchema,
  scoreBreakdownSchema,
} from './attempt';
import { taskExecutorSchema, taskPrioritySchema, taskStatusSchema } from './task';
import { workspaceChecksSchema, workspaceStartFromSchema } from './workspace';

/** An ISO-8601 timestamp as the store writes it. */
export const timestampSchema = z.string();

/** The last dependency setup's outcome, reported per workspace (DESIGN §9b). */
export const workspaceSetupStatusSchema = z.object({
  state: z.enum(['ready', 'failed']),
  /** npm, pip, custom…; the command that ran. */
  kind: z.string(),
  command: z.string(),
  /** Content hash of the lock files it installed from (the cache folder's name). */
  hash: z.string(),
  durationMs: z.number(),
  at: timestampSchema,
  /** For a failure: what went wrong, with the tail of the setup's output. */
  message: z.string().nullable(),
});
export type WorkspaceSetupStatus = z.infer<typeof workspaceSetupStatusSchema>;

export const workspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  baseBranch: z.string(),
  targetBranch: z.string(),
  checks: workspaceChecksSchema,
  /** `workspace add --setup CMD`; null: the setup detected from the lock files. */
  setupCommand: z.string().nullable(),
  /** The last dependency setup's outcome; null before the first. */
  setupStatus: workspaceSetupStatusSchema.nullable(),
  /** `target`: attempts start from the target branch when it contains the base; `base`: always from the base. */
  startFrom: workspaceStartFromSchema,
  createdAt: timestampSchema,
});
export type Workspace = z.infer<typeof workspaceSchema>;

export const attemptSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  sessionId: z.string().nullable(),
  number: z.number().int(),
  status: attemptStatusSchema,
  branch: z.string(),
  worktreePath: z.string().nullable(),
  baseCommit: z.string().nullable(),
  headCommit: z.string().nullable(),
  targetBranch: z.string(),
  score: z.number().nullable(),
  scoreBreakdown: scoreBreakdownSchema.nullable(),
  decision: attemptDecisionSchema.nullable(),
  reasons: z.array(z.string()),
  checksBefore: z.array(checkOutcomeSchema).nullable(),
  checksAfter: z.array(checkOutcomeSchema).nullable(),
  diff: diffStatsSchema.nullable(),
  cycles: z.number().int(),
  mergedCommit: z.string().nullable(),
  backupRef: z.string().nullable(),
  reviewNote: z.string().nullable(),
  spec: attemptSpecSchema.nullable(),
  startedAt: timestampSchema,
  endedAt: timestampSchema.nullable(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const taskSchema = z.object({
  id: z.string(),
  /** The workspace's name (what `task add` takes). */
  workspace: z.string(),
  workspaceId: z.string(),
  title: z.string(),
  description: z.string(),
  criteria: z.array(z.string()),
  priority: taskPrioritySchema,
  executor: taskExecutorSchema,
  files: z.array(z.string()),
  status: taskStatusSchema,
  statusReason: z.string().nullable(),
  retryNote: z.string().nullable(),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  attempts: z.array(attemptSchema),
});
export type Task = z.infer<typeof taskSchema>;

export const sessionStatsSchema = z.object({
  tasksDone: z.number().int(),
  merged: z.number().int(),
  review: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
  promptTokens: z.number(),
  completionTokens: z.number(),
  cachedTokens: z.number(),
  costUsd: z.number(),
  energyWh: z.number(),
  /** Why the session paused new work, if it did (resource limits, battery). */
  pauses: z.array(z.string()),
  peakCpuPercent: z.number().nullable(),
  peakMemoryPercent: z.number().nullable(),
});
export type SessionStats = z.infer<typeof sessionStatsSchema>;

export const sessionStatuses = ['running', 'completed', 'stopped', 'failed'] as const;
export const sessionStatusSchema = z.enum(sessionStatuses);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

export const sessionSchema = z.object({
  id: z.string(),
  startedAt: timestampSchema,
  endedAt: timestampSchema.nullable(),
  status: sessionStatusSchema,
  /** What started it: `manual` (run --now, session:start) or `night-window` (the scheduler). */
  trigger: z.string(),
  stats: sessionStatsSchema,
  endReason: z.string().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;

export function emptySessionStats(): SessionStats {
  return {
    tasksDone: 0,
    merged: 0,
    review: 0,
    rejected: 0,
    failed: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    costUsd: 0,
    energyWh: 0,
    pauses: [],
    peakCpuPercent: null,
    peakMemoryPercent: null,
  };
}
