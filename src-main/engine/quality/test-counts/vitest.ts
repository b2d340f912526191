// vitest: `      Tests  1 failed | 2 passed | 1 skipped (4)`.
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { countOf, lastMatch } from './test-counts';

export function parseVitest(output: string): TestCounts | null {
  const m = lastMatch(output, /^\s*Tests\s{2,}((?:\d+ \w+(?: \| )?)+) \((\d+)\)\s*$/m);
  if (m === null) return null;
  const summary = m[1] ?? '';
  return {
    runner: 'vitest',
    passed: countOf(summary, /passed/),
    failed: countOf(summary, /failed/),
    skipped: countOf(summary, /skipped|todo/),
  };
}
