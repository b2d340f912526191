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

export interface CheckOutcome {
  name: CheckName;
  command: string;
  passed: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Tail of the combined output, capped. */
  output: string;
  /** Test counts read from the runner's summary, when the output has one (DESIGN §9b). */
  tests?: TestCounts | null;
}

export interface TestCounts {
  /** Which runner's summary they came from: "vitest", "pytest", "cargo test"… */
  runner: string;
  passed: number;
  failed: number;
  skipped: number;
}

export interface ScoreBreakdown {
  checks: number;
  progress: number;
  review: number;
  scope: number;
  weights: { checks: number; progress: number; review: number; scope: number };
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
