// `nocturnal review show ATTEMPT`: one change in full, as the review window shows it (review:get): the
// checks before and after, the score as a sum a reader can check (each part's value × weight, the
// gates' cap, the total), the model's own review and the diff. `--json` prints the contract's
// ReviewDetail.
import type { Command } from 'commander';
import type { CheckOutcome, ScoreBreakdown, ScoreComponent } from '../../../src-shared/domain/attempt';
import type { AttemptDiff, CheckComparison, ReviewDetail } from '../../../src-shared/domain/review';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

export function registerReviewShowCommand(review: Command, context: () => CliContext): void {
  review
    .command('show')
    .description('one change in full: the diff, the checks before and after, and the score breakdown')
    .argument('<attempt-id>', 'attempt id (see `nocturnal review list` or `task show`)')
    .option('--json', "print JSON (what the API's review:get answers)")
    .action(async (attemptId: string, options: { json?: boolean }) => {
      const ctx = context();
      const detail = await ctx.call('review:get', { attemptId });
      if (options.json) return writeJson(ctx.io.stdout, detail);
      printReviewDetail(ctx.io.stdout, detail);
    });
}

export function printReviewDetail(out: NodeJS.WritableStream, detail: ReviewDetail): void {
  const { attempt, task } = detail;
  writeLine(out, `attempt ${attempt.id} of task ${task.id} "${task.title}" (workspace ${task.workspace})`);
  writeLine(
    out,
    `branch ${attempt.branch} → ${detail.item.targetBranch}; status ${attempt.status}${attempt.decision ? `, decision ${attempt.decision}` : ''}${attempt.score !== null ? `, score ${attempt.score.toFixed(3)}` : ''}`,
  );
  for (const reason of attempt.reasons) writeLine(out, `  · ${reason.split('\n')[0] ?? ''}`);

  writeLine(out);
  writeLine(out, 'checks (before → after):');
  if (detail.checks.length === 0) writeLine(out, '  none ran');
  for (const check of detail.checks)
    writeLine(
      out,
      `  ${check.name}: ${outcome(check.before)} → ${outcome(check.after)} (${changeWords(check.change)})  $ ${check.command}`,
    );

  writeLine(out);
  printBreakdown(out, detail.scoreBreakdown);

  writeLine(out);
  if (detail.review) {
    writeLine(
      out,
      `model review: ${detail.review.verdict}, score ${detail.review.score.toFixed(2)} (${detail.review.model})`,
    );
    for (const issue of detail.review.issues) writeLine(out, `  - ${issue}`);
  } else {
    writeLine(out, 'model review: none (the review call failed or never ran; the reasons above say why)');
  }

  writeLine(out);
  printDiff(out, detail.diff);
}

// The order of the window's table (src-shared's scoreComponents), kept here as types only so the
// command's module stays light to load.
const scoreComponents: readonly ScoreComponent[] = ['checks', 'progress', 'review', 'scope'];

function outcome(check: CheckOutcome | null): string {
  if (!check) return 'not run';
  if (check.passed) return 'passed';
  if (check.timedOut) return 'timed out';
  return `failed (exit ${check.exitCode ?? '?'})`;
}

function changeWords(change: CheckComparison['change']): string {
  return change.replace('-', ' ');
}

/** The same sum the window's score table shows: value, weight, what it adds; the cap; the total. */
export function printBreakdown(out: NodeJS.WritableStream, breakdown: ScoreBreakdown | null): void {
  if (!breakdown) return writeLine(out, 'score: none (the attempt ended before it was scored)');
  writeLine(out, 'score:');
  writeLine(out, `  ${'part'.padEnd(10)}${'value'.padEnd(13)}${'weight'.padEnd(8)}adds`);
  for (const part of scoreComponents) {
    const value = breakdown[part];
    writeLine(
      out,
      `  ${part.padEnd(10)}${(value === null ? 'no evidence' : value.toFixed(2)).padEnd(13)}${breakdown.weights[part].toFixed(2).padEnd(8)}${signed(breakdown.contributions[part])}`,
    );
  }
  if (breakdown.cap !== 0) writeLine(out, `  ${'gates'.padEnd(31)}${signed(breakdown.cap)}`);
  writeLine(out, `  ${'total'.padEnd(31)}${signed(breakdown.total)}`);
  for (const gate of breakdown.gates) writeLine(out, `  gate: ${gate}`);
}

function signed(value: number): string {
  return value < 0 ? value.toFixed(3) : ` ${value.toFixed(3)}`;
}

function printDiff(out: NodeJS.WritableStream, diff: AttemptDiff | null): void {
  if (!diff) return writeLine(out, 'diff: none (the attempt made no commit)');
  const insertions = diff.files.reduce((sum, file) => sum + file.insertions, 0);
  const deletions = diff.files.reduce((sum, file) => sum + file.deletions, 0);
  writeLine(
    out,
    `diff ${diff.from.slice(0, 10)}..${diff.to.slice(0, 10)}: ${diff.files.length} file${diff.files.length === 1 ? '' : 's'}, +${insertions} -${deletions}`,
  );
  for (const file of diff.files) {
    const name = file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path;
    writeLine(
      out,
      `=== ${name} (${file.change}${file.binary ? ', binary' : `, +${file.insertions} -${file.deletions}`})`,
    );
    for (const hunk of file.hunks) {
      writeLine(out, hunk.header);
      for (const line of hunk.lines)
        writeLine(out, `${line.kind === 'add' ? '+' : line.kind === 'remove' ? '-' : ' '}${line.text}`);
    }
  }
  if (diff.truncated) writeLine(out, '… the diff is longer than the cap; the rest is on the branch');
}
