import { z } from 'zod';

export const attemptStatuses = ['running', 'review', 'merged', 'rejected', 'failed', 'interrupted', 'undone'] as const;
export const attemptStatusSchema = z.enum(attemptStatuses);
export type AttemptStatus = z.infer<typeof attemptStatusSchema>;

/** What the scorer decided; `held` means it would merge but the target could not take it safely. */
export const attemptDecisions = ['merge', 'review', 'improve', 'reject', 'held'] as const;
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

export interface CheckOutcome {
  name: CheckName;
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Tail of the combined output, capped. */
  output: string;
}

export type ScoreComponent = 'checks' | 'progress' | 'review' | 'scope';

/**
 * The score as a reader can add it up: `total = contributions.checks + contributions.progress +
 * contributions.review + contributions.scope + cap` (each term rounded to 3 decimals). A component
 * without evidence has a null value, weight 0 and contribution 0; the weights of the others are
 * renormalised so they still sum to 1. `cap` is what the gates took off (0 or negative).
 */
export interface ScoreBreakdown {
  /** Each component's measured value in [0, 1]; null where there was no evidence for it. */
  checks: number | null;
  progress: number | null;
  review: number | null;
  scope: number | null;
  /** The weights actually applied (renormalised over the components with evidence). */
  weights: Record<ScoreComponent, number>;
  /** value × weight for each component. */
  contributions: Record<ScoreComponent, number>;
  /** What the gates took off the weighted sum: 0 when no gate applied, otherwise negative. */
  cap: number;
  /** Gates that overrode the weighted sum, with why. */
  gates: string[];
  total: number;
}

/** The spec executor's validated plan (nocturnal_spec). */
export interface AttemptSpec {
  requirements: string[];
  acceptance_criteria: string[];
  plan: string[];
  files: string[];
}

export interface DiffStats {
  files: number;
  insertions: number;
  deletions: number;
  paths: string[];
}
