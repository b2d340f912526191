// The tests of a file, found by name among the tracked files: `src/a.ts` → `src/a.test.ts`,
// `src/__tests__/a.spec.ts`, `test/a.test.js`, `tests/test_a.py`, `a_test.go`. The model changing a file
// should see the tests that pin it down; they go into the context right after the named files.
import path from 'node:path';
import { isTestPath } from '../quality/test-changes';

const MAX_PER_FILE = 3;

// The tests among a file list, by the stem they test, per list: a session keeps one list per start
// commit and asks it for the tests of dozens of files per attempt, each a scan of up to 10k paths.
const testsByStem = new WeakMap<readonly string[], ReadonlyMap<string, readonly string[]>>();

function testIndex(tracked: readonly string[]): ReadonlyMap<string, readonly string[]> {
  let index = testsByStem.get(tracked);
  if (index === undefined) {
    const built = new Map<string, string[]>();
    for (const candidate of tracked) {
      if (!isTestPath(candidate)) continue;
      const stem = testStemOf(candidate);
      const list = built.get(stem);
      if (list === undefined) built.set(stem, [candidate]);
      else list.push(candidate);
    }
    index = built;
    testsByStem.set(tracked, index);
  }
  return index;
}

export function relatedTests(file: string, tracked: readonly string[]): string[] {
  if (isTestPath(file)) return [];
  const stem = stemOf(file);
  if (stem === '') return [];
  const dir = path.posix.dirname(file);
  const matches = (testIndex(tracked).get(stem) ?? []).filter((candidate) => candidate !== file);
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
