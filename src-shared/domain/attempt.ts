import { z } from 'zod';

export const attemptStatuses = ['running', 'review', 'merged', 'rejected', 'failed', 'interrupted', 'undone'] as const;
export const attemptStatusSchema = z.enum(attemptStatuses);
export type AttemptStatus = z.infer<typeof attemptStatusSchema>;

/**
 * What the scorer decided; `held` means it would merge but the target could not take it safely;
 * `lost` means another parallel attempt of the same task had better evidence (its reasons name it).
 */
export const attemptDecisions = ['merge', 'review', 'improve', 'reject', 'held', 'lost'] as const;
export const attemptDecisionSchema = z.enum(attemptDecisions);
export type AttemptDecision = z.infer<typeof attemptDecisionSchema>;

const attemptTransitions: Record<AttemptStatus, readonly AttemptStatus[]> = {
  running: ['review', 'merged', 'rejected', 'failed', 'interrupted'],
  review: ['merged', 'rejected'],
  // merged → undone: `nocturnal undo` took the change back off the target (DESIGN §4).
  merged: ['undone'],
  rejected: [],
  failed: [],
  interrupted: [],
  undone: [],
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
  /** Test counts read from the runner's summary, when the output has one (DESIGN §9b). */
  tests: z
    .lazy(() => testCountsSchema)
    .nullable()
    .optional(),
});
export type CheckOutcome = z.infer<typeof checkOutcomeSchema>;

export const testCountsSchema = z.object({
  /** Which runner's summary they came from: "vitest", "pytest", "cargo test"… */
  runner: z.string(),
  passed: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});
export type TestCounts = z.infer<typeof testCountsSchema>;

export const scoreComponents = ['checks', 'progress', 'review', 'scope'] as const;
export type ScoreComponent = (typeof scoreComponents)[number];
const perComponent = z.object({ checks: z.number(), progress: z.number(), review: z.number(), scope: z.number() });

/**
 * The score as a reader can add it up: `total = contributions.checks + contributions.progress +
 * contributions.review + contributions.scope + cap` (each term rounded to 3 decimals). A component
 * without evidence has a null value, weight 0 and contribution 0; the weights of the others are
 * renormalised so they still sum to 1. `cap` is what the gates took off (0 or negative).
 */
export const scoreBreakdownSchema = z.object({
  /** Each component's measured value in [0, 1]; null where there was no evidence for it. */
  checks: z.number().nullable(),
  progress: z.number().nullable(),
  review: z.number().nullable(),
  scope: z.number().nullable(),
  /** The weights actually applied (renormalised over the components with evidence). */
  weights: perComponent,
  /** value × weight for each component. */
  contributions: perComponent,
  /** What the gates took off the weighted sum: 0 when no gate applied, otherwise negative. */
  cap: z.number(),
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
