import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { CheckOutcome, ScoreBreakdown } from '../../../src-shared/domain/attempt';
import { decideFromScore } from '../../../src-shared/quality/decision';
import { renderBreakdown } from '../report/render-breakdown';
import { gatedZeroBreakdown, scoreAttempt } from './score';

const config = defaultConfig();
const check = (name: CheckOutcome['name'], passed: boolean): CheckOutcome => ({
  name,
  command: name,
  passed,
  exitCode: passed ? 0 : 1,
  timedOut: false,
  durationMs: 1,
  output: '',
});
const diff = (paths: string[], lines = 10) => ({ files: paths.length, insertions: lines, deletions: 0, paths });
const thresholds = { autoApprove: config.quality.auto_approve_threshold, review: config.quality.review_threshold };

/** What a reader of the report does: add the contributions and the cap. */
function sumOf(b: ScoreBreakdown): number {
  return (
    Math.round(
      (b.contributions.checks + b.contributions.progress + b.contributions.review + b.contributions.scope + b.cap) *
        1000,
    ) / 1000
  );
}

describe('scoreAttempt', () => {
  it('scores a fix that makes the failing tests pass, with a test, highly; the breakdown adds up', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', false), check('lint', true)],
        checksAfter: [check('test', true), check('lint', true)],
        reviewScore: 0.9,
        diff: diff(['src/a.ts', 'src/a.test.ts']),
        plannedFiles: ['src/a.ts'],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    // scope: one of two files is outside the plan but it is a test, so nothing counts against it.
    expect(score).toEqual({
      checks: 1,
      progress: 1,
      review: 0.9,
      scope: 1,
      weights: { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 },
      contributions: { checks: 0.5, progress: 0.15, review: 0.18, scope: 0.15 },
      cap: 0,
      gates: [],
      total: 0.98,
    });
    expect(sumOf(score)).toBe(score.total);
    expect(decideFromScore(score.total, thresholds, 3)).toBe('merge');
  });

  it('follows the review score: the same evidence with a lukewarm review lands lower', () => {
    const base = {
      checksBefore: [check('test', true)],
      checksAfter: [check('test', true)],
      diff: diff(['src/a.ts']),
      plannedFiles: [],
      safetyViolations: [],
    };
    const good = scoreAttempt({ ...base, reviewScore: 0.95 }, config.quality, config.safety);
    const meh = scoreAttempt({ ...base, reviewScore: 0.3 }, config.quality, config.safety);
    expect(good.total).toBeGreaterThan(meh.total);
    expect(sumOf(good)).toBe(good.total);
    expect(sumOf(meh)).toBe(meh.total);
  });

  it('caps a change that breaks a passing check below the review threshold, with the cap in the breakdown', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', true), check('lint', true)],
        checksAfter: [check('test', false), check('lint', true)],
        reviewScore: 1,
        diff: diff(['src/a.ts', 'src/a.test.ts']),
        plannedFiles: [],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    // checks 1/4 (lint 1 of test 3 + lint 1) → 0.125; progress 1 (a test added) → 0.15; review 0.2; scope 0.15 → 0.625 < 0.69: no cap needed.
    expect(score.contributions).toEqual({ checks: 0.125, progress: 0.15, review: 0.2, scope: 0.15 });
    expect(score.cap).toBe(0);
    expect(score.total).toBe(0.625);
    expect(score.gates).toEqual([
      'test passed before the change and fails after it: capped below quality.review_threshold',
    ]);
    expect(sumOf(score)).toBe(score.total);
  });

  it('a regression with every other signal perfect is capped at 0.69, and the cap is what was taken off', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', true), check('lint', true), check('build', true), check('typecheck', true)],
        checksAfter: [check('test', true), check('lint', false), check('build', true), check('typecheck', true)],
        reviewScore: 1,
        diff: diff(['src/a.test.ts']),
        plannedFiles: [],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    // checks (3 + 1.5 + 1.5) / 7 = 0.857 → 0.429; progress 1 → 0.15; review 1 → 0.2; scope 1 → 0.15: 0.929, capped at 0.69.
    expect(score.contributions).toEqual({ checks: 0.429, progress: 0.15, review: 0.2, scope: 0.15 });
    expect(score.cap).toBe(-0.239);
    expect(score.total).toBe(0.69);
    expect(sumOf(score)).toBe(score.total);
    expect(decideFromScore(score.total, thresholds, 0)).toBe('reject');
  });

  it('gives 0 to a safety violation and to an empty change', () => {
    const safe = {
      checksBefore: [check('test', true)],
      checksAfter: [check('test', true)],
      reviewScore: 1,
      plannedFiles: [],
    };
    const violation = scoreAttempt(
      { ...safe, diff: diff(['a.ts']), safetyViolations: ['wrote .git/config'] },
      config.quality,
      config.safety,
    );
    expect(violation.total).toBe(0);
    expect(sumOf(violation)).toBe(0);
    expect(scoreAttempt({ ...safe, diff: diff([]), safetyViolations: [] }, config.quality, config.safety).total).toBe(
      0,
    );
    const gated = gatedZeroBreakdown(['safety violation: .env'], config.quality);
    expect(gated.total).toBe(0);
    expect(sumOf(gated)).toBe(0);
  });

  it('holds a change whose review could not be obtained for a person: capped below auto-approve, never renormalised to a merge', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', true)],
        checksAfter: [check('test', true)],
        reviewScore: null,
        diff: diff(['a.test.ts']),
        plannedFiles: [],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    // Without the review the other weights renormalise: 0.5/0.8, 0.15/0.8, 0.15/0.8 → a perfect 1.0 on evidence alone.
    expect(score).toEqual({
      checks: 1,
      progress: 1,
      review: null,
      scope: 1,
      weights: { checks: 0.625, progress: 0.188, review: 0, scope: 0.188 },
      contributions: { checks: 0.625, progress: 0.188, review: 0, scope: 0.188 },
      cap: -0.161,
      gates: [
        'review could not be obtained: capped below quality.auto_approve_threshold, the change waits for a person',
      ],
      total: 0.84,
    });
    expect(sumOf(score)).toBe(score.total);
    expect(decideFromScore(score.total, thresholds, 3)).toBe('review');
    expect(renderBreakdown(score)).toBe(
      'checks 1 × 0.625 = 0.625 + progress 1 × 0.188 = 0.188 + review (no evidence) 0 + scope 1 × 0.188 = 0.188 + cap -0.161 → total 0.84; gates: review could not be obtained: capped below quality.auto_approve_threshold, the change waits for a person',
    );
  });

  it('a missing review does not lift a weak change: below the cap nothing changes', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', false)],
        checksAfter: [check('test', false)],
        reviewScore: null,
        diff: diff(['a.ts']),
        plannedFiles: [],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    expect(score.cap).toBe(0);
    expect(score.total).toBe(0.188);
    expect(sumOf(score)).toBe(score.total);
  });

  it('lowers scope for unrelated files and oversized diffs', () => {
    const focused = scoreAttempt(
      {
        checksBefore: [],
        checksAfter: [check('test', true)],
        reviewScore: 0.8,
        diff: diff(['a.ts']),
        plannedFiles: ['a.ts'],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    const sprawling = scoreAttempt(
      {
        checksBefore: [],
        checksAfter: [check('test', true)],
        reviewScore: 0.8,
        diff: diff(['a.ts', 'b.ts', 'c.ts'], 1900),
        plannedFiles: ['a.ts'],
        safetyViolations: [],
      },
      config.quality,
      config.safety,
    );
    expect(focused.scope).toBe(1);
    expect(sprawling.scope).toBeLessThan(0.5);
    expect(sumOf(sprawling)).toBe(sprawling.total);
  });

  it('counts 2 of 3 failing tests fixed as progress even while the test check still fails', () => {
    const counted = (passed: number, failed: number): CheckOutcome => ({
      ...check('test', failed === 0),
      tests: { runner: 'vitest', passed, failed, skipped: 0 },
    });
    const evidence = { reviewScore: 0.9, diff: diff(['math.js']), plannedFiles: ['math.js'], safetyViolations: [] };
    const partial = scoreAttempt(
      { ...evidence, checksBefore: [counted(1, 3)], checksAfter: [counted(3, 1)] },
      config.quality,
      config.safety,
    );
    // progress = mean(2/3 of the failing tests fixed, 1 of 1 planned file touched); checks 0, scope 1.
    expect(partial).toEqual({
      checks: 0,
      progress: 0.833,
      review: 0.9,
      scope: 1,
      weights: { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 },
      contributions: { checks: 0, progress: 0.125, review: 0.18, scope: 0.15 },
      cap: 0,
      gates: [],
      total: 0.455,
    });
    // The same change judged by exit codes alone: no progress from the tests.
    const blind = scoreAttempt(
      { ...evidence, checksBefore: [check('test', false)], checksAfter: [check('test', false)] },
      config.quality,
      config.safety,
    );
    expect(blind.progress).toBe(0.5);
    expect(blind.total).toBe(0.405);
    // Deleting two failing tests is not fixing them: the passes did not grow.
    const deleted = scoreAttempt(
      { ...evidence, checksBefore: [counted(1, 3)], checksAfter: [counted(1, 1)] },
      config.quality,
      config.safety,
    );
    expect(deleted.progress).toBe(0.5);
  });

  it('holds a change to a manifest or lock file for review however well it scores', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check('test', false)],
        checksAfter: [check('test', true)],
        reviewScore: 1,
        diff: diff(['math.js', 'package.json', 'package-lock.json']),
        plannedFiles: [],
        safetyViolations: [],
        dependencyChanges: ['package.json', 'package-lock.json'],
      },
      config.quality,
      config.safety,
    );
    expect(score.gates).toEqual([
      'dependency change (package.json, package-lock.json): never merged automatically, a person must review it',
    ]);
    expect(score.total).toBe(0.84);
  });
});
