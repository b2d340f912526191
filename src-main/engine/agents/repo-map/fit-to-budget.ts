// The map fitted to its token budget, by rank: each file gets its full entry (path and symbols) when that
// fits, else its path alone, and the map stops at the first file whose path no longer fits. A file's
// entry is never cut in half: a half-listed class is worse than a path.
import { estimateTokensOfLength } from '../estimate-tokens';

export interface MapEntry {
  file: string;
  /** The path with its symbol lines. */
  full: string;
}

export interface FittedMap {
  entries: string[];
  /** Files whose symbols are shown. */
  withSymbols: string[];
}

export function fitToBudget(ranked: Iterable<MapEntry>, budgetTokens: number, headingTokens: number): FittedMap {
  let used = headingTokens;
  const entries: string[] = [];
  const withSymbols: string[] = [];
  for (const entry of ranked) {
    const full = estimateTokensOfLength(entry.full.length + 1);
    if (used + full <= budgetTokens) {
      entries.push(entry.full);
      if (entry.full !== entry.file) withSymbols.push(entry.file);
      used += full;
      continue;
    }
    const bare = estimateTokensOfLength(entry.file.length + 1);
    if (used + bare > budgetTokens) break;
    entries.push(entry.file);
    used += bare;
  }
  return { entries, withSymbols };
}
