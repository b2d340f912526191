// uvu: `  Total:     3` / `  Passed:    2` / `  Skipped:   0` — the failures are what is left.
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { lastMatch } from './test-counts';

export function parseUvu(output: string): TestCounts | null {
  const m = lastMatch(output, /^\s*Total:\s+(\d+)\s*\n\s*Passed:\s+(\d+)\s*\n\s*Skipped:\s+(\d+)\s*$/m);
  if (m === null) return null;
  const total = Number(m[1]);
  const passed = Number(m[2]);
  const skipped = Number(m[3]);
  return { runner: 'uvu', passed, failed: Math.max(0, total - passed - skipped), skipped };
}
