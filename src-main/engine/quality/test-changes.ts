// What a change does to the tests, read from its unified diff: the evidence that it pins the task down
// (assertions added) and the signs that it games the checks instead (assertions removed or rewritten,
// tests skipped or focused, a test file deleted or rewritten that the task did not name). A change that
// weakens tests can still be offered for review, but never merges by itself.

// Test folders, `a.test.ts`/`a.spec.js`, `a_test.go`, `test_a.py`, and a lone `test.js`/`tests.py`.
export const testPathPattern =
  /(^|\/)(__tests__|tests?|spec)\/|\.(test|spec)\.[^/]+$|_test\.[^/]+$|(^|\/)test_[^/]+$|(^|\/)(tests?|spec)\.[^/]+$/;

export function isTestPath(path: string): boolean {
  return testPathPattern.test(path);
}

const ASSERTION =
  /\bassert\w*\b|\bexpect\s*\(|\.should\b|\bself\.assert\w+|\bt\.(Error|Errorf|Fatal|Fatalf|Fail)\b|\brequire\.\w+\(|\bassert!|\bassert_eq!/;
const SKIP_OR_FOCUS =
  /\b(it|test|describe|context|suite)\.(skip|only|todo)\s*\(|\bx(it|test|describe|context)\s*\(|\bf(it|describe)\s*\(|@pytest\.mark\.(skip|skipif|xfail)\b|@unittest\.(skip|expectedFailure)\b|\bt\.Skip(Now|f)?\(|#\[ignore\]|@Disabled\b|@Ignore\b|\bpending\s*\(/;
const REWRITE_MIN_REMOVED = 5;

export interface TestChanges {
  /** Why the change weakens the tests; empty when it does not. */
  weakening: string[];
  /** Assertion lines the change adds in test files. */
  assertionsAdded: number;
  /** Whether an added assertion mentions a word of the task's criteria (or title, without criteria). */
  coversCriterion: boolean;
}

interface FileDiff {
  path: string;
  created: boolean;
  deleted: boolean;
  added: string[];
  removed: string[];
}

export function analyzeTestChanges(diffText: string, namedFiles: string[], taskWords: string[]): TestChanges {
  const weakening: string[] = [];
  let assertionsAdded = 0;
  let coversCriterion = false;
  const words = taskWords.map((w) => w.toLowerCase());
  for (const file of parseDiff(diffText)) {
    if (!isTestPath(file.path)) continue;
    const named = namedFiles.includes(file.path);
    const added = file.added.filter((l) => ASSERTION.test(l));
    const removed = file.removed.filter((l) => ASSERTION.test(l));
    assertionsAdded += added.length;
    if (added.some((line) => words.some((w) => line.toLowerCase().includes(w)))) coversCriterion = true;

    const skips = file.added.filter((l) => SKIP_OR_FOCUS.test(l) && !file.removed.includes(l));
    if (skips.length > 0) weakening.push(`skips or focuses tests in ${file.path}: ${skips[0]?.trim() ?? ''}`);
    if (file.deleted) {
      if (!named) weakening.push(`deletes the test file ${file.path}, which the task did not name`);
      continue;
    }
    if (file.created) continue;
    if (removed.length > added.length)
      weakening.push(`removes ${removed.length - added.length} assertion(s) from ${file.path}`);
    else if (removed.length > 0 && !named)
      weakening.push(`rewrites ${removed.length} existing assertion(s) in ${file.path}, which the task did not name`);
    if (
      !named &&
      file.removed.length >= REWRITE_MIN_REMOVED &&
      file.removed.length >= file.added.length / 2 &&
      removed.length > 0
    ) {
      weakening.push(
        `rewrites the test file ${file.path} (${file.removed.length} lines removed), which the task did not name`,
      );
    }
  }
  return { weakening: [...new Set(weakening)], assertionsAdded, coversCriterion };
}

/** Words worth finding in a test: identifiers and numbers of the criteria (or the title without them). */
export function taskWordsOf(task: { title: string; criteria: string[] }): string[] {
  const text = task.criteria.length > 0 ? task.criteria.join(' ') : task.title;
  const stop = new Set([
    'the',
    'and',
    'for',
    'with',
    'that',
    'this',
    'returns',
    'return',
    'should',
    'when',
    'from',
    'into',
  ]);
  const words = text.split(/[^A-Za-z0-9_]+/).filter((w) => w.length >= 3 && !stop.has(w.toLowerCase()));
  return [...new Set(words)];
}

function parseDiff(diffText: string): FileDiff[] {
  const files: FileDiff[] = [];
  let current: FileDiff | null = null;
  for (const line of diffText.split('\n')) {
    const header = /^diff --git a\/(.+) b\/(.+)$/.exec(line);
    if (header) {
      current = { path: header[2] ?? '', created: false, deleted: false, added: [], removed: [] };
      files.push(current);
      continue;
    }
    if (!current) continue;
    if (line.startsWith('new file mode')) current.created = true;
    else if (line.startsWith('deleted file mode')) current.deleted = true;
    else if (line.startsWith('+++') || line.startsWith('---')) continue;
    else if (line.startsWith('+')) current.added.push(line.slice(1));
    else if (line.startsWith('-')) current.removed.push(line.slice(1));
  }
  return files;
}
