// The anti-gaming gates of the score: a change that weakens the tests, or that shows no evidence the task
// is done, never reaches the auto-approve threshold. Exact breakdowns, so a changed rule shows here.
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { decideFromScore } from '../../../src-shared/quality/decision';
import { scoreAttempt } from './score';

const config = defaultConfig();
const thresholds = { autoApprove: config.quality.auto_approve_threshold, review: config.quality.review_threshold };
const weights = { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 };
const check = (passed: boolean): CheckOutcome => ({
  name: 'test',
  command: 'node test.js',
  passed,
  exitCode: passed ? 0 : 1,
  timedOut: false,
  durationMs: 1,
  output: '',
});
const diff = (paths: string[]) => ({ files: paths.length, insertions: 1, deletions: 1, paths });

describe('the score gates against gaming', () => {
  it('holds a change that turns the test green by deleting its assertion below auto-approve, saying why', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check(false)],
        checksAfter: [check(true)],
        reviewScore: 1,
        diff: diff(['test.js']),
        plannedFiles: ['math.js'],
        safetyViolations: [],
        tests: { weakening: ['removes 1 assertion(s) from test.js'], added: false },
      },
      config.quality,
      config.safety,
    );
    // 0.5 + 0.075 + 0.2 + 0.15 = 0.925, capped to 0.84 (auto-approve 0.85 − 0.01): the cap says by how much.
    expect(score).toEqual({
      checks: 1,
      progress: 0.5,
      review: 1,
      scope: 1,
      weights,
      contributions: { checks: 0.5, progress: 0.075, review: 0.2, scope: 0.15 },
      cap: -0.085,
      gates: ['weakens the tests: removes 1 assertion(s) from test.js'],
      total: 0.84,
    });
    expect(decideFromScore(score.total, thresholds, 0)).toBe('review');
  });

  it('holds a comment-only change on a green base with a review of 0: no evidence the task is done', () => {
    const score = scoreAttempt(
      {
        checksBefore: [check(true)],
        checksAfter: [check(true)],
        reviewScore: 0,
        diff: diff(['math.js']),
        plannedFiles: ['math.js'],
        safetyViolations: [],
        tests: { weakening: [], added: false },
      },
      config.quality,
      config.safety,
    );
    expect(score).toEqual({
      checks: 1,
      progress: 0.5,
      review: 0,
      scope: 1,
      weights,
      // Already below the cap: the gate is listed, the total is the plain sum.
      contributions: { checks: 0.5, progress: 0.075, review: 0, scope: 0.15 },
      cap: 0,
      gates: [
        'no evidence the task is done: no failing check was fixed and no test was added for the task; the review scored 0 (below 0.5)',
      ],
      total: 0.725,
    });
    expect(decideFromScore(score.total, thresholds, 0)).toBe('review');
  });

  it('holds an untested change with a glowing review, and lets the same change with a test merge', () => {
    const evidence = {
      checksBefore: [check(true)],
      checksAfter: [check(true)],
      reviewScore: 1,
      diff: diff(['math.js']),
      plannedFiles: ['math.js'],
      safetyViolations: [],
    };
    const untested = scoreAttempt(
      { ...evidence, tests: { weakening: [], added: false } },
      config.quality,
      config.safety,
    );
    expect(untested.gates).toEqual([
      'no evidence the task is done: no failing check was fixed and no test was added for the task',
    ]);
    expect(untested.total).toBe(0.84);
    expect(untested.cap).toBe(-0.085);
    const tested = scoreAttempt(
      { ...evidence, diff: diff(['math.js', 'test.js']), tests: { weakening: [], added: true } },
      config.quality,
      config.safety,
    );
    expect(tested).toEqual({
      checks: 1,
      progress: 1,
      review: 1,
      scope: 1,
      weights,
      contributions: { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 },
      cap: 0,
      gates: [],
      total: 1,
    });
    expect(decideFromScore(tested.total, thresholds, 0)).toBe('merge');
  });
});
