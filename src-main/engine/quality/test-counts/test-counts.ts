// Test counts read from a test runner's own summary (DESIGN §9b): "2 passed, 1 failed" is evidence
// an exit code cannot give — a fix that turns 2 of 3 failing tests green is progress even while the
// check still fails. One small parser per runner, each reading only its runner's summary line, tried
// from the most to the least distinctive format; output no parser recognises gives null, never a guess.
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { parseCargoTest } from './cargo-test';
import { parseGoTest } from './go-test';
import { parseJest } from './jest';
import { parseMocha } from './mocha';
import { parseNodeTest } from './node-test';
import { parsePytest } from './pytest';
import { parseUvu } from './uvu';
import { parseVitest } from './vitest';

export type { TestCounts };

const parsers: readonly ((output: string) => TestCounts | null)[] = [
  parseCargoTest,
  parseJest,
  parseVitest,
  parsePytest,
  parseMocha,
  parseUvu,
  parseNodeTest,
  parseGoTest,
];

export function parseTestCounts(output: string): TestCounts | null {
  for (const parse of parsers) {
    const counts = parse(output);
    if (counts !== null) return counts;
  }
  return null;
}

/** The last match of a summary line: a runner run twice (watch output, retries) ends with its final word. */
export function lastMatch(output: string, pattern: RegExp): RegExpExecArray | null {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  let last: RegExpExecArray | null = null;
  for (let m = global.exec(output); m !== null; m = global.exec(output)) last = m;
  return last;
}

/** "3 passed", "1 failed" … out of a comma- or pipe-separated summary. */
export function countOf(summary: string, word: RegExp): number {
  const m = new RegExp(`(\\d+) (?:${word.source})`).exec(summary);
  return m ? Number(m[1]) : 0;
}
