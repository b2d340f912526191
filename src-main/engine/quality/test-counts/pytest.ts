// pytest: the final line, `1 failed, 2 passed, 1 skipped in 0.10s` (with `=====` around it unless -q).
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { countOf, lastMatch } from './test-counts';

export function parsePytest(output: string): TestCounts | null {
  const m = lastMatch(
    output,
    /^=*\s*((?:\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(?:, )?)+) in \d+(?:\.\d+)?s(?: \([^)]*\))?\s*=*\s*$/m,
  );
  if (m === null) return null;
  const summary = m[1] ?? '';
  return {
    runner: 'pytest',
    passed: countOf(summary, /passed/) + countOf(summary, /xfailed/),
    failed: countOf(summary, /failed/) + countOf(summary, /errors?/) + countOf(summary, /xpassed/),
    skipped: countOf(summary, /skipped/),
  };
}
