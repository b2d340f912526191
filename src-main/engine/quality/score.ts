// The quality score of DESIGN §6, computed only from evidence: what the checks measured before and
// after the change, the review call's score, and the shape of the diff. Nothing here is a constant
// stand-in for a measurement; a component without evidence is left out and the weights renormalise.
import type { QualityConfig, SafetyConfig } from '../../../src-shared/config/schema';
import type { CheckName, CheckOutcome, DiffStats, ScoreBreakdown } from '../../../src-shared/domain/attempt';

export interface ScoreEvidence {
  checksBefore: CheckOutcome[];
  checksAfter: CheckOutcome[];
  /** The nocturnal_review score in [0, 1], or null if the review call failed. */
  reviewScore: number | null;
  diff: DiffStats;
  /** Files the task or spec named; empty when it named none. */
  plannedFiles: string[];
  safetyViolations: string[];
  /** Manifests and lock files the change touched (DESIGN §9b): such a change always waits for a person. */
  dependencyChanges?: string[];
}

/** Tests weigh most among the checks (DESIGN §6). */
const checkWeights: Record<CheckName, number> = { test: 3, typecheck: 1.5, lint: 1, build: 1.5 };
const testPathPattern = /(^|\/)(__tests__|tests?|spec)\/|\.(test|spec)\.[^/]+$|_test\.[^/]+$|(^|\/)test_[^/]+$/;

export function scoreAttempt(evidence: ScoreEvidence, quality: QualityConfig, safety: Pick<SafetyConfig, 'max_changed_lines'>): ScoreBreakdown {
  const weights = quality.weights;
  const gates: string[] = [];

  const checks = checksComponent(evidence.checksAfter);
  const progress = progressComponent(evidence);
  const review = evidence.reviewScore;
  const scope = scopeComponent(evidence, safety.max_changed_lines);

  const parts: { value: number | null; weight: number }[] = [
    { value: checks, weight: weights.checks },
    { value: progress, weight: weights.progress },
    { value: review, weight: weights.review },
    { value: scope, weight: weights.scope },
  ];
  const used = parts.filter((p): p is { value: number; weight: number } => p.value !== null && p.weight > 0);
  const weightSum = used.reduce((sum, p) => sum + p.weight, 0);
  let total = weightSum > 0 ? used.reduce((sum, p) => sum + p.value * p.weight, 0) / weightSum : 0;
  if (review === null) gates.push('the review call failed: scored without it');

  if (evidence.safetyViolations.length > 0) {
    gates.push(`safety violation: ${evidence.safetyViolations.join('; ')}`);
    total = 0;
  }
  if (evidence.diff.files === 0) {
    gates.push('the change is empty');
    total = 0;
  }
  const dependencyChanges = evidence.dependencyChanges ?? [];
  if (dependencyChanges.length > 0) {
    gates.push(`dependency change (${dependencyChanges.join(', ')}): never merged automatically, a person must review it`);
    // Below the auto-approve threshold: at best it is offered for review.
    total = Math.min(total, Math.max(0, quality.auto_approve_threshold - 0.01));
  }
  const regressions = regressedChecks(evidence.checksBefore, evidence.checksAfter);
  if (regressions.length > 0) {
    gates.push(`${regressions.join(', ')} passed before the change and fails after it`);
    // Below the review threshold: a regression is never merged and never offered as-is.
    total = Math.min(total, Math.max(0, quality.review_threshold - 0.01));
  }

  const sum = weights.checks + weights.progress + weights.review + weights.scope;
  return {
    checks: round(checks ?? 0),
    progress: round(progress ?? 0),
    review: round(review ?? 0),
    scope: round(scope),
    weights: {
      checks: round(weights.checks / sum),
      progress: round(weights.progress / sum),
      review: round(weights.review / sum),
      scope: round(weights.scope / sum),
    },
    gates,
    total: round(total),
  };
}

export function regressedChecks(before: CheckOutcome[], after: CheckOutcome[]): CheckName[] {
  return after.filter((a) => !a.passed && before.some((b) => b.name === a.name && b.passed)).map((a) => a.name);
}

function checksComponent(after: CheckOutcome[]): number | null {
  if (after.length === 0) return null;
  let passed = 0;
  let total = 0;
  for (const check of after) {
    const weight = checkWeights[check.name];
    total += weight;
    if (check.passed) passed += weight;
  }
  return passed / total;
}

/**
 * Progress: checks that failed at baseline and pass now (or, on a green baseline, whether the change
 * adds or updates tests); and how many of the files the task named it touched. Each signal counts only where it applies.
 */
function progressComponent(evidence: ScoreEvidence): number | null {
  const signals: number[] = [];
  const failingBefore = evidence.checksBefore.filter((c) => !c.passed);
  if (failingBefore.length > 0) {
    // A fix: the evidence of progress is the failing check turning green — or, for a test check
    // whose runner counts, the share of its failing tests that now pass.
    const fixed = failingBefore.map((b) => fixedShare(b, evidence.checksAfter.find((a) => a.name === b.name)));
    signals.push(fixed.reduce((a, b) => a + b, 0) / failingBefore.length);
  } else if (evidence.diff.files > 0) {
    // New behaviour on a green baseline: progress shows as tests that pin it down.
    signals.push(evidence.diff.paths.some((p) => testPathPattern.test(p)) ? 1 : 0);
  }
  if (evidence.plannedFiles.length > 0) {
    const touched = evidence.plannedFiles.filter((f) => evidence.diff.paths.includes(f));
    signals.push(touched.length / evidence.plannedFiles.length);
  }
  if (signals.length === 0) return null;
  return signals.reduce((a, b) => a + b, 0) / signals.length;
}

/**
 * How much of a failing check the change fixed: all of it when it passes now; else, from the runner's
 * counts, the failing tests that now pass. A test counts as fixed only if the passes grew with it, so
 * deleting a failing test is no progress.
 */
function fixedShare(before: CheckOutcome, after: CheckOutcome | undefined): number {
  if (after === undefined) return 0;
  if (after.passed) return 1;
  const was = before.tests;
  const now = after.tests;
  if (!was || !now || was.failed === 0) return 0;
  const fixed = Math.min(was.failed - now.failed, now.passed - was.passed);
  return Math.max(0, Math.min(1, fixed / was.failed));
}

/**
 * Scope: files outside the plan count against the change, and so does size beyond half the line
 * limit (a small, focused diff is what a reviewer can trust).
 */
function scopeComponent(evidence: ScoreEvidence, maxChangedLines: number): number {
  const { diff, plannedFiles } = evidence;
  if (diff.files === 0) return 0;
  const isTest = (p: string) => testPathPattern.test(p);
  const unrelated = plannedFiles.length > 0 ? diff.paths.filter((p) => !plannedFiles.includes(p) && !isTest(p)).length / diff.files : 0;
  const lines = diff.insertions + diff.deletions;
  const half = maxChangedLines / 2;
  const sizeFactor = lines <= half ? 1 : Math.max(0.5, 1 - (0.5 * (lines - half)) / half);
  return (1 - unrelated) * sizeFactor;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
