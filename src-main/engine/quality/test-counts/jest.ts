// jest: `Tests:       1 failed, 1 skipped, 2 passed, 4 total`.
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { countOf, lastMatch } from './test-counts';

export function parseJest(output: string): TestCounts | null {
  const m = lastMatch(output, /^Tests:\s+(.*\d+ total)\s*$/m);
  if (m === null) return null;
  const summary = m[1] ?? '';
  return {
    runner: 'jest',
    passed: countOf(summary, /passed/),
    failed: countOf(summary, /failed/),
    skipped: countOf(summary, /skipped|todo/),
  };
}
