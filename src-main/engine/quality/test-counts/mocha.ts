// mocha's spec reporter: `  2 passing (9ms)`, then `  1 failing` and `  1 pending` when there are any.
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { lastMatch } from './test-counts';

export function parseMocha(output: string): TestCounts | null {
  const passing = lastMatch(output, /^\s*(\d+) passing \(\d+(?:\.\d+)?m?s\)\s*$/m);
  if (passing === null) return null;
  const rest = output.slice(passing.index);
  const failing = /^\s*(\d+) failing\s*$/m.exec(rest);
  const pending = /^\s*(\d+) pending\s*$/m.exec(rest);
  return {
    runner: 'mocha',
    passed: Number(passing[1]),
    failed: Number(failing?.[1] ?? 0),
    skipped: Number(pending?.[1] ?? 0),
  };
}
