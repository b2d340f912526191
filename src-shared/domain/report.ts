// The morning report of one session (`report --json`, `report:get`), built from the store only so every
// face shows the same facts.
import { z } from 'zod';
import {
  attemptDecisionSchema,
  attemptStatusSchema,
  checkOutcomeSchema,
  diffStatsSchema,
  scoreBreakdownSchema,
} from './attempt';
import { budgetAlertSchema } from './budget';
import { sessionSchema, timestampSchema } from './records';
import { taskStatusSchema } from './task';

/** One entry of a session's timeline (the store's events table). */
export const timelineEventSchema = z.object({
  id: z.number().int(),
  sessionId: z.string().nullable(),
  taskId: z.string().nullable(),
  attemptId: z.string().nullable(),
  type: z.string(),
  message: z.string(),
  data: z.unknown(),
  createdAt: timestampSchema,
});
export type TimelineEvent = z.infer<typeof timelineEventSchema>;

export const reportTaskEntrySchema = z.object({
  taskId: z.string(),
  title: z.string(),
  workspace: z.string(),
  /** What the attempt came to in this session (a report is history), not the task's state today. */
  status: taskStatusSchema,
  /** The task's state now, which approvals, undo or later sessions may have changed. */
  statusNow: taskStatusSchema,
  attemptId: z.string(),
  attemptStatus: attemptStatusSchema,
  score: z.number().nullable(),
  scoreBreakdown: scoreBreakdownSchema.nullable(),
  decision: attemptDecisionSchema.nullable(),
  branch: z.string(),
  targetBranch: z.string(),
  mergedCommit: z.string().nullable(),
  backupRef: z.string().nullable(),
  diff: diffStatsSchema.nullable(),
  checksBefore: z.array(checkOutcomeSchema).nullable(),
  checksAfter: z.array(checkOutcomeSchema).nullable(),
  cycles: z.number().int(),
  tokens: z.object({ prompt: z.number(), completion: z.number(), cached: z.number() }),
  durationMs: z.number().nullable(),
  reasons: z.array(z.string()),
});
export type ReportTaskEntry = z.infer<typeof reportTaskEntrySchema>;

export const sessionReportSchema = z.object({
  session: sessionSchema.extend({ durationMs: z.number().nullable() }),
  /** Model calls of the session: how many used free (local) models, against the configured target. */
  usage: z.object({
    calls: z.number().int(),
    freeCalls: z.number().int(),
    freeRate: z.number().nullable(),
    freeTargetRate: z.number(),
    costUsd: z.number(),
    energyWh: z.number(),
  }),
  tasks: z.array(reportTaskEntrySchema),
  events: z.array(timelineEventSchema),
  notes: z.array(z.string()),
  /** Budget alerts this session raised (the budget guard's, DESIGN §9 cost). */
  budgetAlerts: z.array(budgetAlertSchema).optional(),
});
export type SessionReport = z.infer<typeof sessionReportSchema>;
