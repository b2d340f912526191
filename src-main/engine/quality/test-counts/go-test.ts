// go test -v: one `--- PASS: TestName (0.00s)` / `--- FAIL:` / `--- SKIP:` line per test (subtests
// indented). Without -v, go prints only failures, so passing tests cannot be counted: null then.
import type { TestCounts } from '../../../../src-shared/domain/attempt';

export function parseGoTest(output: string): TestCounts | null {
  const count = (word: string) =>
    (output.match(new RegExp(`^\\s*--- ${word}: \\S+ \\(\\d+(?:\\.\\d+)?s\\)`, 'gm')) ?? []).length;
  if (!/^=== RUN /m.test(output)) return null;
  const passed = count('PASS');
  const failed = count('FAIL');
  const skipped = count('SKIP');
  if (passed === 0 && failed === 0 && skipped === 0) return null;
  return { runner: 'go test', passed, failed, skipped };
}
