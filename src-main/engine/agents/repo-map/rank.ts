// Which files matter for this task, most first. Evidence, strongest first: the task names the file; a
// failing check's output points into it; it imports or is imported by a named file; it is a named file's
// test; a named file uses its symbols; its symbols or its path share words with the task. Files with no
// evidence keep their place after the others, shallowest first, so the map still shows the layout.
// The tests of the best-ranked files follow them.
import path from 'node:path';
import type { CachedOutline } from './outline-cache';
import type { CodeSymbol, FileOutline } from './parse-symbols';
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

// What ranking reads of an outline, once per outline: outlines live in the session's cache and are
// ranked again for every task, and an outline never changes (a changed file gets a new one).
interface OutlineFacts {
  /** The symbols with their members, in order. */
  symbols: readonly CodeSymbol[];
  /** The words of their names, as a set and in the set's order (walked by index: no iterator). */
  words: ReadonlySet<string>;
  wordList: readonly string[];
}
const factsOfOutline = new WeakMap<FileOutline, OutlineFacts>();
const NO_FACTS: OutlineFacts = { symbols: [], words: new Set(), wordList: [] };

function outlineFacts(outline: FileOutline | null): OutlineFacts {
  if (outline === null) return NO_FACTS;
  let facts = factsOfOutline.get(outline);
  if (facts === undefined) {
    const symbols = outline.symbols.flatMap((s) => [s, ...s.members]);
    const words = new Set(symbols.flatMap((s) => wordsOf(s.name)));
    facts = { symbols, words, wordList: [...words] };
    factsOfOutline.set(outline, facts);
  }
  return facts;
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
  /** By layout rank: 1 for a test file (tests do not lead; a 10k list was matched per call before). */
  isTest: Uint8Array;
  /**
   * An outline's imports resolved in this list, self-imports and what resolves to nothing left out:
   * the import graph is the same for every task, only which files are named changes.
   */
  importTargets: WeakMap<FileOutline, { file: string; targets: readonly string[] }>;
}

const trackedIndexes = new WeakMap<readonly string[], TrackedIndex>();
const depthOf = (file: string) => file.split('/').length;

/** `file`'s imports that resolve to another file of the list, in the order written. */
function importsOf(index: TrackedIndex, file: string, outline: FileOutline | null): readonly string[] {
  if (outline === null || outline.imports.length === 0) return [];
  const known = index.importTargets.get(outline);
  // An outline is cached per path and content, so it belongs to one file; the path is checked anyway.
  if (known?.file === file) return known.targets;
  const targets: string[] = [];
  for (const specifier of outline.imports) {
    const target = resolveImport(file, specifier, index.set);
    if (target !== null && target !== file) targets.push(target);
  }
  index.importTargets.set(outline, { file, targets });
  return targets;
}

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
    const isTest = Uint8Array.from(layout, (file) => (isTestPath(file) ? 1 : 0));
    index = { set, layout, layoutRank, ranksByPathWord, position, isTest, importTargets: new WeakMap() };
    trackedIndexes.set(tracked, index);
  }
  return index;
}

/** The list's files as a set, kept with the list's index. */
export function trackedSet(tracked: readonly string[]): ReadonlySet<string> {
  return trackedIndex(tracked).set;
}

export function rankFiles(input: RankInput): RankedFile[] {
  const index = trackedIndex(input.tracked);
  const { layout, layoutRank, ranksByPathWord, position, isTest } = index;
  // Scores by layout rank; a file outside the list is never scored.
  const score = new Float64Array(layout.length);
  const bump = (file: string, by: number) => {
    const rank = layoutRank.get(file);
    if (rank !== undefined) score[rank] = (score[rank] ?? 0) + by;
  };
  const named = input.namedFiles.filter((f) => layoutRank.has(f));
  for (const file of named) bump(file, weights.named);
  for (const file of input.failingFiles) bump(file, weights.failing);

  // The loops over every outline and file below use forEach and indices, not for-of: a for-of here
  // allocated an entry or an iterator result per step (about 1 MB per call on 10k files), and in the
  // engine's large heap each young-generation collection that this fills costs 8-16 ms.
  // The import graph around the named files, both ways.
  const namedSet = new Set(named);
  input.outlines.forEach((cached, file) => {
    for (const target of importsOf(index, file, cached.outline)) {
      if (namedSet.has(file)) bump(target, weights.importLink);
      if (namedSet.has(target)) bump(file, weights.importLink);
    }
  });
  for (const file of named) for (const test of relatedTests(file, input.tracked)) bump(test, weights.test);

  // Symbols a named file refers to, by name.
  const namedWords = new Set(named.flatMap((f) => (input.outlines.get(f)?.source ?? '').split(/[^A-Za-z0-9_$]+/)));
  const taskWords = new Set(wordsOf(input.taskText));
  const taskTokens = new Set(input.taskText.split(/[^A-Za-z0-9_$]+/).filter((t) => t.length >= 4));
  // A word of the task counts for more the fewer files' symbols share it (`reference` in every domain
  // says little; `ledger` in two files says a lot): inverse document frequency. Only the task's words
  // are ever looked up, so only theirs are counted.
  const documentFrequency = new Map<string, number>();
  const count = (word: string) => documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
  const taskWordList = [...taskWords];
  input.outlines.forEach((cached) => {
    const { words, wordList } = outlineFacts(cached.outline);
    if (wordList.length <= taskWordList.length) {
      for (let i = 0; i < wordList.length; i++) if (taskWords.has(wordList[i] ?? '')) count(wordList[i] ?? '');
    } else {
      for (let i = 0; i < taskWordList.length; i++) if (words.has(taskWordList[i] ?? '')) count(taskWordList[i] ?? '');
    }
  });
  const fileCount = Math.max(1, input.outlines.size);
  input.outlines.forEach((cached, file) => {
    const { symbols, wordList } = outlineFacts(cached.outline);
    if (!namedSet.has(file)) {
      let referenced = 0;
      for (let i = 0; i < symbols.length; i++) {
        const name = symbols[i]?.name ?? '';
        if (name.length >= 3 && namedWords.has(name)) referenced++;
      }
      // Adding nothing leaves the score as it is: skipped, as most files refer to no named symbol.
      if (referenced > 0) bump(file, weights.referenced * Math.min(referenced, MAX_REFERENCED));
    }
    for (let i = 0; i < symbols.length; i++) if (taskTokens.has(symbols[i]?.name ?? '')) bump(file, weights.symbolName);
    for (let i = 0; i < wordList.length; i++) {
      const word = wordList[i] ?? '';
      if (taskWords.has(word))
        bump(file, weights.symbolWord * Math.log2(1 + fileCount / (documentFrequency.get(word) ?? 1)));
    }
  });
  taskWords.forEach((word) => {
    const ranks = ranksByPathWord.get(word);
    for (let i = 0; ranks !== undefined && i < ranks.length; i++) {
      const rank = ranks[i] ?? 0;
      score[rank] = (score[rank] ?? 0) + weights.pathWord;
    }
  });

  // A test follows the code it tests: the best-ranked source files lend half their score to their tests.
  for (const rank of leadersOf(score, position, isTest)) {
    const s = score[rank] ?? 0;
    for (const test of relatedTests(layout[rank] ?? '', input.tracked)) bump(test, s / 2);
  }

  // Highest score first; equal scores in layout order (shallowest first, then by name): ranks are
  // visited in that order, so each score's files are already sorted. A task word such as `src` gives
  // every path of a 10k list the same score. Each score's files get their slots counted first, so the
  // list is written once, in place, without growing an array per score.
  const slots = new Map<number, number>();
  let scored = 0;
  for (let rank = 0; rank < score.length; rank++) {
    const s = score[rank] ?? 0;
    if (!(s > 0)) continue;
    slots.set(s, (slots.get(s) ?? 0) + 1);
    scored++;
  }
  let next = 0;
  for (const s of [...slots.keys()].sort((a, b) => b - a)) {
    const files = slots.get(s) ?? 0;
    slots.set(s, next);
    next += files;
  }
  const ranked = new Array<RankedFile>(score.length);
  let unscored = scored;
  for (let rank = 0; rank < score.length; rank++) {
    const s = score[rank] ?? 0;
    const file = layout[rank] ?? '';
    if (!(s > 0)) {
      ranked[unscored++] = { file, score: 0 };
      continue;
    }
    const slot = slots.get(s) ?? 0;
    slots.set(s, slot + 1);
    ranked[slot] = { file, score: s };
  }
  return ranked;
}

/**
 * The layout ranks of the MAX_LEADERS best-scored files that are not tests: highest score first, equal
 * scores by where the file appears in the list. The order is total (no two files share a position),
 * so keeping the best few while scanning gives exactly the head of the whole list sorted, without
 * sorting every scored file (a task word such as `src` scores all 10k).
 */
function leadersOf(score: Float64Array, position: Int32Array, isTest: Uint8Array): number[] {
  const before = (a: number, b: number) => (score[b] ?? 0) - (score[a] ?? 0) || (position[a] ?? 0) - (position[b] ?? 0);
  const leaders: number[] = [];
  for (let rank = 0; rank < score.length; rank++) {
    const s = score[rank] ?? 0;
    if (!(s > 0) || isTest[rank] === 1) continue;
    if (leaders.length === MAX_LEADERS) {
      // Not ahead of the last leader (`before` inlined: this runs for every scored file).
      const last = leaders[MAX_LEADERS - 1] ?? 0;
      const lastScore = score[last] ?? 0;
      if (s < lastScore || (s === lastScore && (position[rank] ?? 0) >= (position[last] ?? 0))) continue;
    }
    let i = leaders.length;
    leaders.push(rank);
    for (; i > 0 && before(rank, leaders[i - 1] ?? 0) < 0; i--) leaders[i] = leaders[i - 1] ?? 0;
    leaders[i] = rank;
    if (leaders.length > MAX_LEADERS) leaders.pop();
  }
  return leaders;
}

/** Repository files a check's output mentions (`src/a.ts:12`, `at f (/wt/src/a.ts:3:9)`, `tests/test_a.py`). */
export function filesMentioned(output: string, tracked: readonly string[], worktree: string): string[] {
  const text = output.split(`${worktree}${path.sep}`).join('');
  return tracked.filter((file) => text.includes(file));
}
