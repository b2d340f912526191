// Which files matter for this task, most first. Evidence, strongest first: the task names the file; a
// failing check's output points into it; it imports or is imported by a named file; it is a named file's
// test; a named file uses its symbols; its symbols or its path share words with the task. Files with no
// evidence keep their place after the others, shallowest first, so the map still shows the layout.
// The tests of the best-ranked files follow them.
import path from 'node:path';
import type { CachedOutline } from './outline-cache';
import type { FileOutline } from './parse-symbols';
import { resolveImport } from './resolve-imports';
import { isTestPath } from '../../quality/test-changes';
import { relatedTests } from '../related-tests';

export interface RankInput {
  tracked: readonly string[];
  outlines: ReadonlyMap<string, CachedOutline>;
  namedFiles: readonly string[];
  /** Repository files a failing check's output mentions. */
  failingFiles: readonly string[];
  taskText: string;
}

export interface RankedFile {
  file: string;
  score: number;
}

const weights = {
  named: 1000,
  failing: 400,
  importLink: 200,
  test: 150,
  referenced: 40,
  symbolName: 60,
  symbolWord: 12,
  pathWord: 8,
} as const;
const MAX_REFERENCED = 5;
/** Source files whose tests are pulled up after them (bounded: relatedTests scans the file list). */
const MAX_LEADERS = 24;

const stopWords = new Set(
  "the and for with from that this when then than should must into not are was were can will would fix add make use uses using new all any each more less only also have has but its it's our your their them they via per get set file files test tests code task change changes when where which what who does done".split(
    ' ',
  ),
);

/** Lower-case words of an identifier, path or sentence: `parseISODate` → parse, iso, date. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w))
    .filter((w) => w.length >= 3 && !stopWords.has(w));
}

// The words of an outline's symbol names, once per outline: outlines live in the session's cache and
// are ranked again for every task, and an outline never changes (a changed file gets a new one).
const wordsOfOutline = new WeakMap<FileOutline, ReadonlySet<string>>();
const NO_WORDS: ReadonlySet<string> = new Set();

function symbolWords(outline: FileOutline | null): ReadonlySet<string> {
  if (outline === null) return NO_WORDS;
  let words = wordsOfOutline.get(outline);
  if (words === undefined) {
    words = new Set(outline.symbols.flatMap((s) => [s, ...s.members]).flatMap((s) => wordsOf(s.name)));
    wordsOfOutline.set(outline, words);
  }
  return words;
}

// What ranking needs of a file list that does not depend on the task, per list: a session keeps one
// list per start commit (scheduler/session-caches) and ranks it for every attempt; on 10k files the
// path words and the layout order cost more than the rest of the ranking.
interface TrackedIndex {
  set: ReadonlySet<string>;
  /** Every file once, shallowest first, then by name: the order of files without evidence. */
  layout: readonly string[];
  /** Each file's place in `layout`: scores are kept by it, and equal scores are ordered by it. */
  layoutRank: ReadonlyMap<string, number>;
  /** Word of a path → the layout ranks of the list's entries whose path has it (per entry, as listed). */
  ranksByPathWord: ReadonlyMap<string, Int32Array>;
  /** By layout rank: where the file first appears in the list (ties between leaders keep that order). */
  position: Int32Array;
}

const trackedIndexes = new WeakMap<readonly string[], TrackedIndex>();
const depthOf = (file: string) => file.split('/').length;

function trackedIndex(tracked: readonly string[]): TrackedIndex {
  let index = trackedIndexes.get(tracked);
  if (index === undefined) {
    const set = new Set(tracked);
    const collator = new Intl.Collator();
    const depth = new Map([...set].map((f) => [f, depthOf(f)]));
    const layout = [...set].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || collator.compare(a, b));
    const layoutRank = new Map(layout.map((file, i) => [file, i]));
    const byWord = new Map<string, number[]>();
    const position = new Int32Array(layout.length).fill(-1);
    // Per entry of the list, as listed (an unmerged path listed twice counts twice, as it always did).
    tracked.forEach((file, i) => {
      const rank = layoutRank.get(file) ?? 0;
      if (position[rank] === -1) position[rank] = i;
      for (const word of new Set(wordsOf(file))) {
        const ranks = byWord.get(word);
        if (ranks === undefined) byWord.set(word, [rank]);
        else ranks.push(rank);
      }
    });
    const ranksByPathWord = new Map([...byWord].map(([word, ranks]) => [word, Int32Array.from(ranks)]));
    index = { set, layout, layoutRank, ranksByPathWord, position };
    trackedIndexes.set(tracked, index);
  }
  return index;
}

export function rankFiles(input: RankInput): RankedFile[] {
  const { set: trackedSet, layout, layoutRank, ranksByPathWord, position } = trackedIndex(input.tracked);
  // Scores by layout rank; a file outside the list is never scored.
  const score = new Float64Array(layout.length);
  const bump = (file: string, by: number) => {
    const rank = layoutRank.get(file);
    if (rank !== undefined) score[rank] = (score[rank] ?? 0) + by;
  };
  const named = input.namedFiles.filter((f) => layoutRank.has(f));
  for (const file of named) bump(file, weights.named);
  for (const file of input.failingFiles) bump(file, weights.failing);

  // The import graph around the named files, both ways.
  const namedSet = new Set(named);
  for (const [file, cached] of input.outlines) {
    for (const specifier of cached.outline?.imports ?? []) {
      const target = resolveImport(file, specifier, trackedSet);
      if (target === null || target === file) continue;
      if (namedSet.has(file)) bump(target, weights.importLink);
      if (namedSet.has(target)) bump(file, weights.importLink);
    }
  }
  for (const file of named) for (const test of relatedTests(file, input.tracked)) bump(test, weights.test);

  // Symbols a named file refers to, by name.
  const namedWords = new Set(named.flatMap((f) => (input.outlines.get(f)?.source ?? '').split(/[^A-Za-z0-9_$]+/)));
  const taskWords = new Set(wordsOf(input.taskText));
  const taskTokens = new Set(input.taskText.split(/[^A-Za-z0-9_$]+/).filter((t) => t.length >= 4));
  // A word of the task counts for more the fewer files' symbols share it (`reference` in every domain
  // says little; `ledger` in two files says a lot): inverse document frequency.
  const symbolWordsOf = new Map<string, ReadonlySet<string>>();
  const documentFrequency = new Map<string, number>();
  for (const [file, cached] of input.outlines) {
    const words = symbolWords(cached.outline);
    symbolWordsOf.set(file, words);
    for (const word of words) documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  }
  const fileCount = Math.max(1, input.outlines.size);
  for (const [file, cached] of input.outlines) {
    const symbols = (cached.outline?.symbols ?? []).flatMap((s) => [s, ...s.members]);
    if (!namedSet.has(file)) {
      const referenced = symbols.filter((s) => s.name.length >= 3 && namedWords.has(s.name)).length;
      bump(file, weights.referenced * Math.min(referenced, MAX_REFERENCED));
    }
    for (const symbol of symbols) if (taskTokens.has(symbol.name)) bump(file, weights.symbolName);
    for (const word of symbolWordsOf.get(file) ?? []) {
      if (taskWords.has(word))
        bump(file, weights.symbolWord * Math.log2(1 + fileCount / (documentFrequency.get(word) ?? 1)));
    }
  }
  for (const word of taskWords) {
    for (const rank of ranksByPathWord.get(word) ?? []) score[rank] = (score[rank] ?? 0) + weights.pathWord;
  }

  // A test follows the code it tests: the best-ranked source files lend half their score to their tests.
  const leaders: number[] = [];
  score.forEach((s, rank) => {
    if (s > 0 && !isTestPath(layout[rank] ?? '')) leaders.push(rank);
  });
  leaders.sort((a, b) => (score[b] ?? 0) - (score[a] ?? 0) || (position[a] ?? 0) - (position[b] ?? 0));
  for (const rank of leaders.slice(0, MAX_LEADERS)) {
    const s = score[rank] ?? 0;
    for (const test of relatedTests(layout[rank] ?? '', input.tracked)) bump(test, s / 2);
  }

  // Highest score first; equal scores in layout order (shallowest first, then by name): ranks are
  // visited in that order, so each score's files are already sorted. A task word such as `src` gives
  // every path of a 10k list the same score.
  const byScore = new Map<number, number[]>();
  const ranked: RankedFile[] = [];
  score.forEach((s, rank) => {
    if (!(s > 0)) return;
    const ranks = byScore.get(s);
    if (ranks === undefined) byScore.set(s, [rank]);
    else ranks.push(rank);
  });
  for (const s of [...byScore.keys()].sort((a, b) => b - a)) {
    for (const rank of byScore.get(s) ?? []) ranked.push({ file: layout[rank] ?? '', score: s });
  }
  score.forEach((s, rank) => {
    if (!(s > 0)) ranked.push({ file: layout[rank] ?? '', score: 0 });
  });
  return ranked;
}

/** Repository files a check's output mentions (`src/a.ts:12`, `at f (/wt/src/a.ts:3:9)`, `tests/test_a.py`). */
export function filesMentioned(output: string, tracked: readonly string[], worktree: string): string[] {
  const text = output.split(`${worktree}${path.sep}`).join('');
  return tracked.filter((file) => text.includes(file));
}
