// A running session's progress, as `session:progress` events and the CLI's `run` lines.
import { z } from 'zod';
import { sessionSchema } from './records';

export const attemptStages = [
  'prepare',
  'baseline',
  'generate',
  'apply',
  'check',
  'review',
  'score',
  'land',
  'done',
] as const;
export const attemptStageSchema = z.enum(attemptStages);
export type AttemptStage = z.infer<typeof attemptStageSchema>;

export const attemptProgressSchema = z.object({
  attemptId: z.string(),
  taskId: z.string(),
  stage: attemptStageSchema,
  cycle: z.number().int(),
  message: z.string(),
});
export type AttemptProgress = z.infer<typeof attemptProgressSchema>;

export const sessionProgressSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('session-started'), session: sessionSchema, queued: z.number().int() }),
  z.object({ type: z.literal('task-started'), taskId: z.string(), title: z.string(), index: z.number().int() }),
  z.object({ type: z.literal('paused'), reason: z.string() }),
  z.object({ type: z.literal('model-loading'), progress: z.number() }),
  z.object({ type: z.literal('resumed'), pausedMs: z.number() }),
  z.object({ type: z.literal('attempt'), progress: attemptProgressSchema }),
  z.object({
    type: z.literal('task-finished'),
    taskId: z.string(),
    title: z.string(),
    status: z.string(),
    score: z.number().nullable(),
    reason: z.string().nullable(),
  }),
  z.object({ type: z.literal('session-ended'), session: sessionSchema }),
]);
export type SessionProgress = z.infer<typeof sessionProgressSchema>;
