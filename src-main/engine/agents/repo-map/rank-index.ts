// The task-independent part of ranking, kept between calls: per outline (outlines live in the
// session's cache, are ranked again for every task, and never change: a changed file gets a new one)
// and per file list (a session keeps one list per start commit and ranks it for every attempt).
import type { CodeSymbol, FileOutline } from './parse-symbols';
import { resolveImport } from './resolve-imports';
import { wordsOf } from './words';
import { isTestPath } from '../../quality/test-changes';

/** What ranking reads of an outline. */
export interface OutlineFacts {
  /** The symbols with their members, in order. */
  symbols: readonly CodeSymbol[];
  /** The words of their names, as a set and in the set's order (walked by index: no iterator). */
  words: ReadonlySet<string>;
  wordList: readonly string[];
}
const factsOfOutline = new WeakMap<FileOutline, OutlineFacts>();
const NO_FACTS: OutlineFacts = { symbols: [], words: new Set(), wordList: [] };

export function outlineFacts(outline: FileOutline | null): OutlineFacts {
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
export interface TrackedIndex {
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
export function importsOf(index: TrackedIndex, file: string, outline: FileOutline | null): readonly string[] {
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

export function trackedIndex(tracked: readonly string[]): TrackedIndex {
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
