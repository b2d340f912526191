// How `workspace add` and `workspace check` print what they found (DESIGN §9b): the setup and where
// it came from, each check with its source, then the baseline — which checks pass on the base, how
// long they take, the test counts — and plain warnings.
import type { BaselineResult } from '../../engine/workspaces/baseline-run';
import type { Detection } from '../../engine/workspaces/workspace-service';
import { formatDuration, renderCounts } from '../../engine/report/render-report';
import { writeLine } from '../cli-io';

export function printDetection(out: NodeJS.WritableStream, detection: Detection, checks: Record<string, string>): void {
  writeLine(out, `setup: ${detection.setup ? detection.setup.reason : 'none needed (no lock file found)'}`);
  for (const [name, command] of Object.entries(checks)) {
    const found = detection.checks.find((c) => c.name === name && c.command === command);
    writeLine(out, `check ${name}: ${command}${found ? ` (detected from ${found.source})` : ' (given)'}`);
  }
}

export function printBaseline(out: NodeJS.WritableStream, baseBranch: string, result: BaselineResult): void {
  writeLine(out, `baseline on ${baseBranch} (${result.baseCommit.slice(0, 12)}):`);
  const setup = result.setup;
  if (setup.kind === 'ready')
    writeLine(
      out,
      `  setup   ${setup.cacheHit ? 'cached' : 'done'}  ${setup.command}${setup.cacheHit ? ' (lock files unchanged: nothing ran)' : ` in ${formatDuration(setup.durationMs)}`}`,
    );
  if (setup.kind === 'failed') writeLine(out, `  setup   FAILED  ${setup.command}`);
  for (const check of result.checks) {
    const mark = check.timedOut ? 'TIMEOUT' : check.passed ? 'pass' : 'FAIL';
    const counts = check.tests ? `  tests ${renderCounts(check.tests)}` : '';
    writeLine(
      out,
      `  ${check.name.padEnd(9)} ${mark.padEnd(7)} ${formatDuration(check.durationMs).padStart(8)}  ${check.command}${counts}`,
    );
  }
  for (const warning of result.warnings) writeLine(out, `warning: ${warning.replaceAll('\n', ' ')}`);
}
