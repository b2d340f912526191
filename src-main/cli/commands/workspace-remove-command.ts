// `nocturnal workspace remove NAME [--force]`: says what it would delete — the tasks, the attempts
// waiting for review, the attempt branches, the engine's worktrees — and needs --force when the
// workspace has tasks; without tasks it removes directly. The repository's checkout, its own
// branches, the target branch and the backup refs are never touched.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';

export function registerWorkspaceRemoveCommand(workspace: Command, context: () => CliContext): void {
  workspace
    .command('remove')
    .description(
      'forget a workspace: its tasks, attempt branches (backed up) and engine worktrees go; its checkout is not touched',
    )
    .argument('<name>', 'workspace name')
    .option('--force', 'remove it even though it has tasks')
    .action(async (name: string, options: { force?: boolean }) => {
      const ctx = context();
      const out = ctx.io.stdout;
      const engine = await ctx.openEngine();
      const plan = await engine.workspaces.removalPlan(name);
      const { workspace: found, tasks, waitingAttempts, branches, worktrees } = plan;
      const counts = new Map<string, number>();
      for (const task of tasks) counts.set(task.status, (counts.get(task.status) ?? 0) + 1);
      const lines = [
        `tasks: ${tasks.length === 0 ? 'none' : `${tasks.length} (${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')})`}`,
        ...tasks.map((task) => `  ${task.id} ${task.status}: ${task.title}`),
        `attempts waiting for review: ${waitingAttempts.length === 0 ? 'none' : waitingAttempts.map((a) => a.id).join(', ')}`,
        `attempt branches: ${branches.length === 0 ? 'none' : branches.join(', ')} (each backed up under refs/nocturnal/backups/ first)`,
        `engine worktrees: ${worktrees.length === 0 ? 'none' : worktrees.join(', ')}`,
      ];
      if (tasks.length > 0 && !options.force) {
        const { NocturnalError } = await import('../../engine/errors/nocturnal-error');
        throw new NocturnalError(
          'usage',
          `workspace "${found.name}" has ${tasks.length} task${tasks.length === 1 ? '' : 's'}; removing it would delete:\n  ${lines.join('\n  ')}\n` +
            `run \`nocturnal workspace remove ${found.name} --force\` to remove it; ${found.path}, its branches and ${found.targetBranch} are not touched`,
        );
      }
      writeLine(out, `removing workspace "${found.name}":`);
      for (const line of lines) writeLine(out, `  ${line}`);
      await ctx.call('workspaces:remove', { name });
      const left = await ctx.call('workspaces:list', {});
      if (left.some((w) => w.name === found.name))
        throw new Error(`workspace "${found.name}" is still registered after removal`);
      writeLine(
        out,
        `removed workspace "${found.name}"; ${found.path} (its checkout, its own branches and ${found.targetBranch}) was not touched`,
      );
    });
}
