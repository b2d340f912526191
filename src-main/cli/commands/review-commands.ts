import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

export function registerReviewCommands(program: Command, context: () => CliContext): void {
  const review = program.command('review').description('changes waiting for your decision');
  review
    .command('list')
    .description('list attempts waiting for review')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const items = await ctx.call('review:list', {});
      if (options.json) return writeJson(ctx.io.stdout, items);
      if (items.length === 0) return writeLine(ctx.io.stdout, 'nothing is waiting for review');
      for (const item of items) {
        writeLine(
          ctx.io.stdout,
          `${item.attemptId}\tscore ${item.score?.toFixed(2) ?? 'n/a'}\t${item.branch}\t${item.title}`,
        );
        const why = item.reasons.at(-1);
        if (why) writeLine(ctx.io.stdout, `\t${why.split('\n')[0]}`);
      }
    });

  program
    .command('approve')
    .description('merge a waiting attempt into its target branch')
    .argument('<attempt-id>', 'attempt id (see `nocturnal review list`)')
    .action(async (attemptId: string) => {
      const ctx = context();
      const { attempt, note } = await ctx.call('review:approve', { attemptId });
      writeLine(ctx.io.stdout, `approved ${attempt.id}: ${note}`);
    });

  program
    .command('reject')
    .description('reject a waiting attempt (its branch is deleted after a backup ref)')
    .argument('<attempt-id>', 'attempt id')
    .option('--note <text>', 'why, for the record')
    .action(async (attemptId: string, options: { note?: string }) => {
      const ctx = context();
      const attempt = await ctx.call('review:reject', { attemptId, note: options.note });
      writeLine(ctx.io.stdout, `rejected ${attempt.id}`);
    });

  program
    .command('undo')
    .description('take a merged change back off its target branch')
    .argument('<attempt-id>', 'attempt id')
    .action(async (attemptId: string) => {
      const ctx = context();
      const { note } = await ctx.call('review:undo', { attemptId });
      writeLine(ctx.io.stdout, `undid ${attemptId}: ${note}`);
    });
}
