// `nocturnal retry TASK_ID` queues one failed, rejected or waiting task again; `retry --failed` does
// it for every task a night left failed or rejected (the latest session, or `--session ID`), each
// through the same tasks:retry the window uses, and says what went back to the queue.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';

interface RetryOptions {
  note?: string;
  failed?: boolean;
  session?: string;
}

export function registerRetryCommand(program: Command, context: () => CliContext): void {
  program
    .command('retry')
    .description('queue a failed, rejected or waiting task again; --failed: every failure of a night at once')
    .argument('[task-id]', 'task id')
    .option('--note <text>', 'guidance for the next attempt (goes into its prompt)')
    .option('--failed', "queue every task the night left failed or rejected (the latest session's, or --session's)")
    .option('--session <id>', 'with --failed: that session instead of the latest')
    .action(async (taskId: string | undefined, options: RetryOptions) => {
      const ctx = context();
      const { NocturnalError } = await import('../../engine/errors/nocturnal-error');
      if (options.failed && taskId !== undefined)
        throw new NocturnalError('usage', `give either a task id (${taskId}) or --failed, not both`);
      if (options.session !== undefined && !options.failed)
        throw new NocturnalError('usage', '--session goes with --failed (a single task is named by its id)');
      if (!options.failed) {
        if (taskId === undefined)
          throw new NocturnalError(
            'usage',
            'name the task to retry (nocturnal retry TASK_ID) or use --failed for every failure of the last night',
          );
        const task = await ctx.call('tasks:retry', { id: taskId, note: options.note });
        return writeLine(ctx.io.stdout, `queued ${task.id} again`);
      }
      await retryFailed(ctx, options);
    });
}

async function retryFailed(ctx: CliContext, options: RetryOptions): Promise<void> {
  const out = ctx.io.stdout;
  if (options.session === undefined && (await ctx.call('sessions:list', { limit: 1 })).length === 0) {
    return writeLine(out, 'no session has run yet: nothing to retry');
  }
  const report = await ctx.call('report:get', { sessionId: options.session });
  // A task counts once, by its state now: one already queued again, merged since or cancelled is left alone.
  const seen = new Set<string>();
  const failures = report.tasks.filter((entry) => {
    if (seen.has(entry.taskId) || (entry.statusNow !== 'failed' && entry.statusNow !== 'rejected')) return false;
    seen.add(entry.taskId);
    return true;
  });
  if (failures.length === 0)
    return writeLine(out, `nothing to retry: session ${report.session.id} left no failed or rejected task`);
  for (const entry of failures) {
    const task = await ctx.call('tasks:retry', { id: entry.taskId, note: options.note });
    const why = entry.reasons.at(-1)?.split('\n')[0];
    writeLine(out, `queued ${task.id} again (was ${entry.statusNow}): ${task.title}${why ? ` — ${why}` : ''}`);
  }
  writeLine(
    out,
    `${failures.length} task${failures.length === 1 ? '' : 's'} of session ${report.session.id} back in the queue`,
  );
}
