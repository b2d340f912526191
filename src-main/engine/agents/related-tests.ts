// The tests of a file, found by name among the tracked files: `src/a.ts` → `src/a.test.ts`,
// `src/__tests__/a.spec.ts`, `test/a.test.js`, `tests/test_a.py`, `a_test.go`. The model changing a file
// should see the tests that pin it down; they go into the context right after the named files.
import path from 'node:path';
import { isTestPath } from '../quality/test-changes';

const MAX_PER_FILE = 3;

export function relatedTests(file: string, tracked: readonly string[]): string[] {
  if (isTestPath(file)) return [];
  const stem = stemOf(file);
  if (stem === '') return [];
  const dir = path.posix.dirname(file);
  const matches = tracked.filter(
    (candidate) => candidate !== file && isTestPath(candidate) && testStemOf(candidate) === stem,
  );
  // Nearest first: the same folder, then folders sharing more of the path.
  const shared = (candidate: string) => {
    const folder = path.posix.dirname(candidate);
    return commonPrefixLength(folder.split('/'), dir.split('/')) + (folder === dir ? 0.5 : 0);
  };
  return matches.sort((a, b) => shared(b) - shared(a) || a.localeCompare(b)).slice(0, MAX_PER_FILE);
}

function stemOf(file: string): string {
  const base = path.posix.basename(file);
  const dot = base.indexOf('.');
  return (dot <= 0 ? base : base.slice(0, dot)).toLowerCase();
}

function testStemOf(file: string): string {
  return stemOf(file)
    .replace(/^test_/, '')
    .replace(/_test$/, '');
}

function commonPrefixLength(a: string[], b: string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}
