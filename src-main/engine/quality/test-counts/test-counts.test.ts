// Each parser against output its runner really printed (fixtures/: node 20's --test, mocha 10, uvu
// 0.5, jest 29, vitest, pytest 7 with and without -q, cargo test, go 1.19's test -v), each run on
// the same three tests of which one fails.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTestCounts } from './test-counts';

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures', name), 'utf8');

describe('parseTestCounts', () => {
  it.each([
    ['node-test.txt', 'node --test'],
    ['mocha.txt', 'mocha'],
    ['uvu.txt', 'uvu'],
    ['jest.txt', 'jest'],
    ['vitest.txt', 'vitest'],
    ['pytest.txt', 'pytest'],
    ['pytest-verbose.txt', 'pytest'],
    ['cargo-test.txt', 'cargo test'],
    ['go-test.txt', 'go test'],
  ])('reads 2 passed, 1 failed from %s (%s)', (file, runner) => {
    expect(parseTestCounts(fixture(file))).toEqual({ runner, passed: 2, failed: 1, skipped: 0 });
  });

  it('adds up the summaries of several cargo test binaries', () => {
    const output = `${fixture('cargo-test.txt')}\n     Running tests/more.rs\ntest result: ok. 4 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n`;
    expect(parseTestCounts(output)).toEqual({ runner: 'cargo test', passed: 6, failed: 1, skipped: 1 });
  });

  it('reads all-green and skipped summaries', () => {
    expect(parseTestCounts('  3 passing (5ms)\n  1 pending\n')).toEqual({
      runner: 'mocha',
      passed: 3,
      failed: 0,
      skipped: 1,
    });
    expect(parseTestCounts('..s.\n3 passed, 1 skipped in 0.02s\n')).toEqual({
      runner: 'pytest',
      passed: 3,
      failed: 0,
      skipped: 1,
    });
    expect(parseTestCounts('      Tests  4 passed | 1 skipped (5)\n')).toEqual({
      runner: 'vitest',
      passed: 4,
      failed: 0,
      skipped: 1,
    });
  });

  it('gives null for output with no runner summary, and for go test without -v', () => {
    expect(parseTestCounts('all tests passed\n')).toBeNull();
    expect(parseTestCounts('ok  \texample.com/m\t0.01s\n')).toBeNull();
    expect(parseTestCounts('')).toBeNull();
  });
});
