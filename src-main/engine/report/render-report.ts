// Human renderings of a SessionReport: Markdown for `report --markdown` and files, plain text for the
// terminal. Both are derived from the same structure as `report --json`.
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import { describeBudgetAlert } from '../cost/budget-status';
import { renderBreakdown } from './render-breakdown';
import type { ReportTaskEntry, SessionReport } from './session-report';

export function renderReportMarkdown(report: SessionReport): string {
  const { session } = report;
  const s = session.stats;
  const lines = [
    `# Nocturnal Agent — session ${session.id}`,
    '',
    `- Started: ${session.startedAt}${session.endedAt ? `, ended: ${session.endedAt}` : ' (still running)'}${session.durationMs !== null ? ` (${formatDuration(session.durationMs)})` : ''}`,
    `- Status: ${session.status}${session.endReason ? ` — ${session.endReason}` : ''}`,
    `- Tasks: ${s.tasksDone} done — ${s.merged} merged, ${s.review} waiting for review, ${s.rejected} rejected, ${s.failed} failed`,
    `- Tokens: ${s.promptTokens} in, ${s.completionTokens} out, ${s.cachedTokens} cached; cost $${s.costUsd.toFixed(4)}, energy ${s.energyWh.toFixed(2)} Wh`,
  ];
  if (report.usage.calls > 0)
    lines.push(
      `- Model calls: ${report.usage.calls}, ${report.usage.freeCalls} on free models (target ${Math.round(report.usage.freeTargetRate * 100)}%)`,
    );
  if (s.pauses.length > 0) lines.push(`- Paused: ${s.pauses.join('; ')}`);
  for (const note of report.notes) lines.push(`- **${note}**`);
  for (const alert of report.budgetAlerts ?? []) lines.push(`- **Budget alert: ${describeBudgetAlert(alert)}**`);
  lines.push('');
  if (report.tasks.length === 0) lines.push('No task was worked in this session.');
  for (const task of report.tasks) lines.push(...renderTask(task), '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function renderTask(task: ReportTaskEntry): string[] {
  const lines = [
    `## ${task.title} (${task.taskId})`,
    '',
    `- Result: **${task.attemptStatus === 'undone' ? 'merged, then undone' : task.status}**${task.attemptStatus !== 'undone' && task.statusNow !== task.status ? ` (now ${task.statusNow})` : ''}${task.decision ? ` (decision: ${task.decision})` : ''}${task.score !== null ? `, score ${task.score.toFixed(2)}` : ''}`,
    `- Attempt: ${task.attemptId} on \`${task.branch}\`${task.mergedCommit ? `, merged into \`${task.targetBranch}\` as ${task.mergedCommit.slice(0, 12)}` : ''}`,
  ];
  if (task.scoreBreakdown) {
    lines.push(`- Score breakdown: ${renderBreakdown(task.scoreBreakdown)}`);
  }
  if (task.diff) lines.push(`- Diff: ${task.diff.files} file(s), +${task.diff.insertions} −${task.diff.deletions}`);
  if (task.checksAfter) lines.push(`- Checks: ${renderChecks(task.checksBefore, task.checksAfter)}`);
  lines.push(
    `- Cycles: ${task.cycles}; tokens ${task.tokens.prompt} in / ${task.tokens.completion} out${task.durationMs !== null ? `; ${formatDuration(task.durationMs)}` : ''}`,
  );
  if (task.attemptStatus === 'undone') {
    lines.push(
      `- Undone: this change was taken back off \`${task.targetBranch}\` by \`nocturnal undo\`; the task can be retried with \`nocturnal retry ${task.taskId}\``,
    );
  } else if (task.backupRef) {
    lines.push(`- Backup: \`${task.backupRef}\` (undo with \`nocturnal undo ${task.attemptId}\`)`);
  }
  if (task.reasons.length > 0) {
    lines.push('- Reasons:');
    for (const reason of task.reasons) lines.push(`  - ${reason.replaceAll('\n', ' ')}`);
  }
  if (task.status === 'review' && task.statusNow === 'review')
    lines.push(`- Next: \`nocturnal approve ${task.attemptId}\` or \`nocturnal reject ${task.attemptId}\``);
  return lines;
}

export function renderChecks(before: CheckOutcome[] | null, after: CheckOutcome[]): string {
  return after
    .map((check) => {
      const was = before?.find((b) => b.name === check.name);
      const mark = (c: CheckOutcome | undefined) =>
        c === undefined ? '–' : c.timedOut ? 'timeout' : c.passed ? 'pass' : 'fail';
      const counts =
        was?.tests || check.tests ? ` (tests ${renderCounts(was?.tests)} → ${renderCounts(check.tests)})` : '';
      return `${check.name} ${mark(was)} → ${mark(check)}${counts}`;
    })
    .join(', ');
}

/** "2 passed, 1 failed" as the runner summarised them; "?" where its output had no summary. */
export function renderCounts(counts: CheckOutcome['tests']): string {
  if (!counts) return '?';
  return `${counts.passed} passed, ${counts.failed} failed${counts.skipped > 0 ? `, ${counts.skipped} skipped` : ''}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
