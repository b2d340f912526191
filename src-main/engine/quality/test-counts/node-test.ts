// node --test: TAP's `# pass N` / `# fail N` trailer, or the spec reporter's `ℹ pass N` on a terminal.
// (\u2139 is ℹ: the bundled CLI is kept ASCII, scripts/build-cli.ts.)
import type { TestCounts } from '../../../../src-shared/domain/attempt';
import { lastMatch } from './test-counts';

export function parseNodeTest(output: string): TestCounts | null {
  const pass = lastMatch(output, /^(?:#|\u2139) pass (\d+)$/m);
  const fail = lastMatch(output, /^(?:#|\u2139) fail (\d+)$/m);
  if (pass === null || fail === null) return null;
  const skipped = lastMatch(output, /^(?:#|\u2139) skipped (\d+)$/m);
  const todo = lastMatch(output, /^(?:#|\u2139) todo (\d+)$/m);
  const cancelled = lastMatch(output, /^(?:#|\u2139) cancelled (\d+)$/m);
  return {
    runner: 'node --test',
    passed: Number(pass[1]),
    failed: Number(fail[1]) + Number(cancelled?.[1] ?? 0),
    skipped: Number(skipped?.[1] ?? 0) + Number(todo?.[1] ?? 0),
  };
}
