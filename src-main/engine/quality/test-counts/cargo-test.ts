// cargo test: one `test result: ok. 2 passed; 1 failed; 0 ignored; …` per test binary (unit,
// integration, doc tests): the counts add up.
import type { TestCounts } from '../../../../src-shared/domain/attempt';

export function parseCargoTest(output: string): TestCounts | null {
  const pattern = /^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored;/gm;
  let found = false;
  const counts: TestCounts = { runner: 'cargo test', passed: 0, failed: 0, skipped: 0 };
  for (let m = pattern.exec(output); m !== null; m = pattern.exec(output)) {
    found = true;
    counts.passed += Number(m[1]);
    counts.failed += Number(m[2]);
    counts.skipped += Number(m[3]);
  }
  return found ? counts : null;
}
