// Which files matter for this task, most first. Evidence, strongest first: the task names the file; a
// failing check's output points into it; it imports or is imported by a named file; it is a named file's
// test; a named file uses its symbols; its symbols or its path share words with the task. Files with no
// evidence keep their place after the others, shallowest first, so the map still shows the layout.
// The tests of the best-ranked files follow them.
import path from 'node:path';
import type { CachedOutline } from './outline-cache';
import { importsOf, outlineFacts, trackedIndex } from './rank-index';
import { wordsOf } from './words';
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
