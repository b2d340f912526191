import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { scoreAttempt } from './score';

const config = defaultConfig();
const check = (name: CheckOutcome['name'], passed: boolean): CheckOutcome => ({ name, command: name, passed, exitCode: passed ? 0 : 1, timedOut: false, durationMs: 1, output: '' });
const diff = (paths: string[], lines = 10) => ({ files: paths.length, insertions: lines, deletions: 0, paths });

describe('scoreAttempt', () => {
  it('scores a fix that makes the failing tests pass, with a test, highly', () => {
    const score = scoreAttempt(
      { checksBefore: [check('test', false), check('lint', true)], checksAfter: [check('test', true), check('lint', true)], reviewScore: 0.9, diff: diff(['src/a.ts', 'src/a.test.ts']), plannedFiles: ['src/a.ts'], safetyViolations: [] },
      config.quality,
      config.safety,
    );
    expect(score.total).toBeGreaterThanOrEqual(0.85);
    expect(score.gates).toEqual([]);
    expect(score.checks).toBe(1);
  });

  it('follows the review score: the same evidence with a lukewarm review lands lower', () => {
    const base = { checksBefore: [check('test', true)], checksAfter: [check('test', true)], diff: diff(['src/a.ts']), plannedFiles: [], safetyViolations: [] };
    const good = scoreAttempt({ ...base, reviewScore: 0.95 }, config.quality, config.safety);
    const meh = scoreAttempt({ ...base, reviewScore: 0.3 }, config.quality, config.safety);
    expect(good.total).toBeGreaterThan(meh.total);
  });

  it('caps a change that breaks a passing check below the review threshold', () => {
    const score = scoreAttempt(
      { checksBefore: [check('test', true), check('lint', true)], checksAfter: [check('test', false), check('lint', true)], reviewScore: 1, diff: diff(['src/a.ts', 'src/a.test.ts']), plannedFiles: [], safetyViolations: [] },
      config.quality,
      config.safety,
    );
    expect(score.total).toBeLessThan(config.quality.review_threshold);
    expect(score.gates.join()).toContain('test passed before the change and fails after it');
  });

  it('gives 0 to a safety violation and to an empty change', () => {
    const safe = { checksBefore: [check('test', true)], checksAfter: [check('test', true)], reviewScore: 1, plannedFiles: [] };
    expect(scoreAttempt({ ...safe, diff: diff(['a.ts']), safetyViolations: ['wrote .git/config'] }, config.quality, config.safety).total).toBe(0);
    expect(scoreAttempt({ ...safe, diff: diff([]), safetyViolations: [] }, config.quality, config.safety).total).toBe(0);
  });

  it('renormalises when the review is missing and says so', () => {
    const score = scoreAttempt({ checksBefore: [check('test', true)], checksAfter: [check('test', true)], reviewScore: null, diff: diff(['a.ts']), plannedFiles: [], safetyViolations: [] }, config.quality, config.safety);
    expect(score.gates[0]).toContain('review call failed');
    expect(score.total).toBeGreaterThan(0);
  });

  it('lowers scope for unrelated files and oversized diffs', () => {
    const focused = scoreAttempt({ checksBefore: [], checksAfter: [check('test', true)], reviewScore: 0.8, diff: diff(['a.ts']), plannedFiles: ['a.ts'], safetyViolations: [] }, config.quality, config.safety);
    const sprawling = scoreAttempt({ checksBefore: [], checksAfter: [check('test', true)], reviewScore: 0.8, diff: diff(['a.ts', 'b.ts', 'c.ts'], 1900), plannedFiles: ['a.ts'], safetyViolations: [] }, config.quality, config.safety);
    expect(focused.scope).toBe(1);
    expect(sprawling.scope).toBeLessThan(0.5);
  });

  it('counts 2 of 3 failing tests fixed as progress even while the test check still fails', () => {
    const counted = (passed: number, failed: number): CheckOutcome => ({ ...check('test', failed === 0), tests: { runner: 'vitest', passed, failed, skipped: 0 } });
    const evidence = { reviewScore: 0.9, diff: diff(['math.js']), plannedFiles: ['math.js'], safetyViolations: [] };
    const partial = scoreAttempt({ ...evidence, checksBefore: [counted(1, 3)], checksAfter: [counted(3, 1)] }, config.quality, config.safety);
    // progress = mean(2/3 of the failing tests fixed, 1 of 1 planned file touched); checks 0, scope 1.
    expect(partial).toEqual({
      checks: 0,
      progress: 0.833,
      review: 0.9,
      scope: 1,
      weights: { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 },
      gates: [],
      total: 0.455,
    });
    // The same change judged by exit codes alone: no progress from the tests.
    const blind = scoreAttempt({ ...evidence, checksBefore: [check('test', false)], checksAfter: [check('test', false)] }, config.quality, config.safety);
    expect(blind.progress).toBe(0.5);
    expect(blind.total).toBe(0.405);
    // Deleting two failing tests is not fixing them: the passes did not grow.
    const deleted = scoreAttempt({ ...evidence, checksBefore: [counted(1, 3)], checksAfter: [counted(1, 1)] }, config.quality, config.safety);
    expect(deleted.progress).toBe(0.5);
  });

  it('holds a change to a manifest or lock file for review however well it scores', () => {
    const score = scoreAttempt(
      { checksBefore: [check('test', false)], checksAfter: [check('test', true)], reviewScore: 1, diff: diff(['math.js', 'package.json', 'package-lock.json']), plannedFiles: [], safetyViolations: [], dependencyChanges: ['package.json', 'package-lock.json'] },
      config.quality,
      config.safety,
    );
    expect(score.gates).toEqual(['dependency change (package.json, package-lock.json): never merged automatically, a person must review it']);
    expect(score.total).toBe(0.84);
  });
});
