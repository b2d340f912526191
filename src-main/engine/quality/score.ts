// The quality score of DESIGN §6, computed only from evidence: what the checks measured before and
// after the change, the review call's score, and the shape of the diff. Nothing here is a constant
// stand-in for a measurement; a component without evidence is left out and the weights renormalise,
// except that a missing review caps the total below auto-approval (nothing merges unreviewed).
import type { QualityConfig, SafetyConfig } from '../../../src-shared/config/schema';
import type {
  CheckName,
  CheckOutcome,
  DiffStats,
  ScoreBreakdown,
  ScoreComponent,
} from '../../../src-shared/domain/attempt';
import { testPathPattern } from './test-changes';

export interface ScoreEvidence {
  checksBefore: CheckOutcome[];
  checksAfter: CheckOutcome[];
  /** The nocturnal_review score in [0, 1], or null if the review call failed. */
  reviewScore: number | null;
  diff: DiffStats;
  /** Files the task or spec named; empty when it named none. */
  plannedFiles: string[];
  safetyViolations: string[];
  /** What the change does to the tests (`test-changes.ts`); the anti-gaming gates apply when given. */
  tests?: { weakening: string[]; added: boolean };
  /** Manifests and lock files the change touched (DESIGN §9b): such a change always waits for a person. */
  dependencyChanges?: string[];
}

/** Tests weigh most among the checks (DESIGN §6). */
const checkWeights: Record<CheckName, number> = { test: 3, typecheck: 1.5, lint: 1, build: 1.5 };

export function scoreAttempt(
  evidence: ScoreEvidence,
  quality: QualityConfig,
  safety: Pick<SafetyConfig, 'max_changed_lines'>,
): ScoreBreakdown {
  const values: Record<ScoreComponent, number | null> = {
    checks: checksComponent(evidence.checksAfter),
    progress: progressComponent(evidence),
    review: evidence.reviewScore,
    scope: scopeComponent(evidence, safety.max_changed_lines),
  };
  const weights = appliedWeights(values, quality.weights);
  const contributions = mapComponents((c) => round((values[c] ?? 0) * weights[c]));
  // The total is the sum of the rounded terms, so the stored breakdown adds up to the total shown.
  const weighted = round(components.reduce((sum, c) => sum + contributions[c], 0));

  const gates: string[] = [];
  let capped = weighted;
  if (evidence.safetyViolations.length > 0) {
    gates.push(`safety violation: ${evidence.safetyViolations.join('; ')}`);
    capped = 0;
  }
  if (evidence.diff.files === 0) {
    gates.push('the change is empty');
    capped = 0;
  }
  const dependencyChanges = evidence.dependencyChanges ?? [];
  if (dependencyChanges.length > 0) {
    gates.push(
      `dependency change (${dependencyChanges.join(', ')}): never merged automatically, a person must review it`,
    );
    // Below the auto-approve threshold: at best it is offered for review.
    capped = Math.min(capped, Math.max(0, quality.auto_approve_threshold - 0.01));
  }
  const regressions = regressedChecks(evidence.checksBefore, evidence.checksAfter);
  if (regressions.length > 0) {
    gates.push(
      `${regressions.join(', ')} passed before the change and fails after it: capped below quality.review_threshold`,
    );
    // Below the review threshold: a regression is never merged and never offered as-is.
    capped = Math.min(capped, Math.max(0, quality.review_threshold - 0.01));
  }
  if (evidence.tests) {
    // Neither gate rejects: the change may still be worth a person's look, but it cannot merge itself.
    const belowAuto = Math.max(0, quality.auto_approve_threshold - 0.01);
    if (evidence.tests.weakening.length > 0) {
      gates.push(`weakens the tests: ${evidence.tests.weakening.join('; ')}`);
      capped = Math.min(capped, belowAuto);
    }
    const missing = missingEvidence(evidence, evidence.tests.added);
    if (missing.length > 0) {
      gates.push(`no evidence the task is done: ${missing.join('; ')}`);
      capped = Math.min(capped, belowAuto);
    }
  }
  if (values.review === null) {
    // DESIGN §6: nothing merges unreviewed. Renormalising over the other components could reach the
    // auto-approve threshold on checks alone, so the change is held for a person instead.
    gates.push(
      'review could not be obtained: capped below quality.auto_approve_threshold, the change waits for a person',
    );
    capped = Math.min(capped, Math.max(0, quality.auto_approve_threshold - 0.01));
  }
  const cap = round(capped - weighted);
  return {
    checks: roundOrNull(values.checks),
    progress: roundOrNull(values.progress),
    review: roundOrNull(values.review),
    scope: roundOrNull(values.scope),
    weights,
    contributions,
    cap,
    gates,
    total: round(weighted + cap),
  };
}

/** A change stopped by a safety gate before it could be measured: every term 0, with the reasons. */
export function gatedZeroBreakdown(gates: string[], quality: QualityConfig): ScoreBreakdown {
  const none = { checks: null, progress: null, review: null, scope: null };
  return {
    ...none,
    weights: appliedWeights({ checks: 1, progress: 1, review: 1, scope: 1 }, quality.weights),
    contributions: mapComponents(() => 0),
    cap: 0,
    gates,
    total: 0,
  };
}

const components: readonly ScoreComponent[] = ['checks', 'progress', 'review', 'scope'];

function mapComponents(value: (c: ScoreComponent) => number): Record<ScoreComponent, number> {
  return { checks: value('checks'), progress: value('progress'), review: value('review'), scope: value('scope') };
}

/** Configured weights normalised over the components that have evidence (the others weigh 0). */
function appliedWeights(
  values: Record<ScoreComponent, number | null>,
  configured: QualityConfig['weights'],
): Record<ScoreComponent, number> {
  const sum = components.reduce((total, c) => total + (values[c] === null ? 0 : configured[c]), 0);
  return mapComponents((c) => (values[c] === null || sum === 0 ? 0 : round(configured[c] / sum)));
}

function roundOrNull(value: number | null): number | null {
  return value === null ? null : round(value);
}

export function regressedChecks(before: CheckOutcome[], after: CheckOutcome[]): CheckName[] {
  return after.filter((a) => !a.passed && before.some((b) => b.name === a.name && b.passed)).map((a) => a.name);
}

/** Evidence that the task is done: a failing check fixed or a test added for it, and a review of at least half. */
function missingEvidence(evidence: ScoreEvidence, testsAdded: boolean): string[] {
  const missing: string[] = [];
  const fixed = evidence.checksBefore.some(
    (b) => !b.passed && evidence.checksAfter.some((a) => a.name === b.name && a.passed),
  );
  if (!fixed && !testsAdded) missing.push('no failing check was fixed and no test was added for the task');
  if (evidence.reviewScore !== null && evidence.reviewScore < 0.5)
    missing.push(`the review scored ${evidence.reviewScore} (below 0.5)`);
  return missing;
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
    const fixed = failingBefore.map((b) =>
      fixedShare(
        b,
        evidence.checksAfter.find((a) => a.name === b.name),
      ),
    );
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
  const unrelated =
    plannedFiles.length > 0 ? diff.paths.filter((p) => !plannedFiles.includes(p) && !isTest(p)).length / diff.files : 0;
  const lines = diff.insertions + diff.deletions;
  const half = maxChangedLines / 2;
  const sizeFactor = lines <= half ? 1 : Math.max(0.5, 1 - (0.5 * (lines - half)) / half);
  return (1 - unrelated) * sizeFactor;
}

/** Three decimals, half up: the epsilon keeps 0.1875 (stored as 0.18749…) from rounding down. */
function round(value: number): number {
  return Math.round((value + Math.sign(value) * Number.EPSILON * 8) * 1000) / 1000;
}
