import { describe, expect, it } from 'vitest';
import { analyzeTestChanges, taskWordsOf } from './test-changes';

function diffOf(path: string, removed: string[], added: string[], header = ''): string {
  return [
    `diff --git a/${path} b/${path}`,
    header,
    `--- a/${path}`,
    `+++ b/${path}`,
    '@@ -1,4 +1,4 @@',
    ...removed.map((l) => `-${l}`),
    ...added.map((l) => `+${l}`),
  ]
    .filter((l) => l !== '')
    .join('\n');
}

const words = taskWordsOf({ title: 'Fix add()', criteria: ['add(2, 3) returns 5'] });

describe('analyzeTestChanges', () => {
  it('takes words worth finding from the criteria', () => {
    expect(words).toEqual(['add']);
  });

  it('counts an added assertion that mentions the criterion as a test for the task', () => {
    const result = analyzeTestChanges(
      diffOf('test.js', [], ['assert.strictEqual(add(-1, 1), 0);']),
      ['math.js'],
      words,
    );
    expect(result).toEqual({ weakening: [], assertionsAdded: 1, coversCriterion: true });
  });

  it('flags removed assertions, skipped tests and rewritten assertions in a test file the task did not name', () => {
    expect(
      analyzeTestChanges(diffOf('test.js', ['assert.strictEqual(add(2, 3), 5);'], []), [], words).weakening,
    ).toEqual(['removes 1 assertion(s) from test.js']);
    // The `it.skip` below is diff text handed to the detector (a change that skips a test), not a skipped test here.
    expect(
      analyzeTestChanges(diffOf('src/a.test.ts', ["it('adds', () => {"], ["it.skip('adds', () => {"]), [], words)
        .weakening,
    ).toEqual(["skips or focuses tests in src/a.test.ts: it.skip('adds', () => {"]);
    expect(
      analyzeTestChanges(diffOf('tests/test_calc.py', [], ['@pytest.mark.skip(reason="flaky")']), [], words).weakening,
    ).toEqual(['skips or focuses tests in tests/test_calc.py: @pytest.mark.skip(reason="flaky")']);
    expect(
      analyzeTestChanges(
        diffOf('test.js', ['assert.strictEqual(add(2, 3), 5);'], ['assert.strictEqual(add(2, 3), -1);']),
        [],
        words,
      ).weakening,
    ).toEqual(['rewrites 1 existing assertion(s) in test.js, which the task did not name']);
  });

  it('allows rewriting assertions of a test file the task names, but never deleting assertions', () => {
    expect(
      analyzeTestChanges(
        diffOf('test.js', ['assert.strictEqual(add(2, 3), 5);'], ['assert.strictEqual(add(2, 3), 6);']),
        ['test.js'],
        words,
      ).weakening,
    ).toEqual([]);
    expect(
      analyzeTestChanges(diffOf('test.js', ['assert.strictEqual(add(2, 3), 5);'], []), ['test.js'], words).weakening,
    ).toEqual(['removes 1 assertion(s) from test.js']);
  });

  it('flags a deleted test file and a whole rewrite, and ignores code files', () => {
    expect(
      analyzeTestChanges(diffOf('test.js', ['a', 'b'], [], 'deleted file mode 100644'), [], words).weakening,
    ).toEqual(['deletes the test file test.js, which the task did not name']);
    const rewrite = analyzeTestChanges(
      diffOf('test.js', ['a', 'b', 'c', 'd', 'assert.ok(add(1, 1) === 2);'], ['assert.ok(true);', 'assert.ok(1);']),
      [],
      words,
    );
    expect(rewrite.weakening).toContain(
      'rewrites the test file test.js (5 lines removed), which the task did not name',
    );
    expect(analyzeTestChanges(diffOf('math.js', ['assert(x)'], []), [], words)).toEqual({
      weakening: [],
      assertionsAdded: 0,
      coversCriterion: false,
    });
  });
});
