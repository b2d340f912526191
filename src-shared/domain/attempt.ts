import { z } from 'zod';

export const attemptStatuses = ['running', 'review', 'merged', 'rejected', 'failed', 'interrupted'] as const;
export const attemptStatusSchema = z.enum(attemptStatuses);
export type AttemptStatus = z.infer<typeof attemptStatusSchema>;

/** What the scorer decided; `held` means it would merge but the target could not take it safely. */
export const attemptDecisions = ['merge', 'review', 'improve', 'reject', 'held'] as const;
export const attemptDecisionSchema = z.enum(attemptDecisions);
export type AttemptDecision = z.infer<typeof attemptDecisionSchema>;

const attemptTransitions: Record<AttemptStatus, readonly AttemptStatus[]> = {
  running: ['review', 'merged', 'rejected', 'failed', 'interrupted'],
  review: ['merged', 'rejected'],
  merged: [],
  rejected: [],
  failed: [],
  interrupted: [],
};

export function canTransitionAttempt(from: AttemptStatus, to: AttemptStatus): boolean {
  return attemptTransitions[from].includes(to);
}

export const checkNames = ['test', 'lint', 'typecheck', 'build'] as const;
export const checkNameSchema = z.enum(checkNames);
export type CheckName = z.infer<typeof checkNameSchema>;

export const checkOutcomeSchema = z.object({
  name: checkNameSchema,
  command: z.string(),
  passed: z.boolean(),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  /** Tail of the combined output, capped. */
  output: z.string(),
});
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

export const scoreWeightsSchema = z.object({ checks: z.number(), progress: z.number(), review: z.number(), scope: z.number() });

export const scoreBreakdownSchema = z.object({
  checks: z.number(),
  progress: z.number(),
  review: z.number(),
  scope: z.number(),
  weights: scoreWeightsSchema,
  /** Gates that overrode the weighted sum, with why. */
  gates: z.array(z.string()),
  total: z.number(),
});
export type ScoreBreakdown = z.infer<typeof scoreBreakdownSchema>;

/** The spec executor's validated plan (nocturnal_spec); snake_case as the model protocol names it. */
export const attemptSpecSchema = z.object({
  requirements: z.array(z.string()),
  acceptance_criteria: z.array(z.string()),
  plan: z.array(z.string()),
  files: z.array(z.string()),
});
export type AttemptSpec = z.infer<typeof attemptSpecSchema>;

export const diffStatsSchema = z.object({
  files: z.number().int(),
  insertions: z.number().int(),
  deletions: z.number().int(),
  paths: z.array(z.string()),
});
export type DiffStats = z.infer<typeof diffStatsSchema>;
