// `nocturnal workspace edit NAME`: change what `workspace add` set — checks, setup, base and target
// branches, where attempts start — through workspaces:update, the channel the window uses too. An
// empty command (`--lint ""`) drops that check; `--setup ""` goes back to the detected setup. A bad
// value exits 2 naming the option, and nothing is changed.
import type { Command } from 'commander';
import type { Workspace } from '../../../src-shared/domain/records';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';

interface EditOptions {
  base?: string;
  target?: string;
  startFrom?: string;
  test?: string;
  lint?: string;
  typecheck?: string;
  build?: string;
  setup?: string;
}

const checkOptions = ['test', 'lint', 'typecheck', 'build'] as const;

export function registerWorkspaceEditCommand(workspace: Command, context: () => CliContext): void {
  workspace
    .command('edit')
    .description(
      'change a workspace\'s checks, setup or branches (--lint "" drops a check; --setup "" uses the detected setup)',
    )
    .argument('<name>', 'workspace name')
    .option('--base <branch>', 'branch attempts start from')
    .option('--target <branch>', 'branch auto-approved work lands on')
    .option('--start-from <where>', '"target" (when it contains the base) or "base"')
    .option('--test <cmd>', 'test command')
    .option('--lint <cmd>', 'lint command')
    .option('--typecheck <cmd>', 'type-check command')
    .option('--build <cmd>', 'build command')
    .option('--setup <cmd>', 'dependency setup command')
    .action(async (name: string, options: EditOptions) => {
      const ctx = context();
      const { NocturnalError } = await import('../../engine/errors/nocturnal-error');
      const given = Object.entries(options).filter(([, value]) => value !== undefined);
      if (given.length === 0)
        throw new NocturnalError(
          'usage',
          'nothing to change: give at least one of --base, --target, --start-from, --test, --lint, --typecheck, --build, --setup',
        );
      if (options.startFrom !== undefined && options.startFrom !== 'target' && options.startFrom !== 'base') {
        throw new NocturnalError('usage', `--start-from: expected "target" or "base", got "${options.startFrom}"`);
      }
      for (const key of ['base', 'target'] as const) {
        if (options[key] !== undefined && options[key].trim() === '')
          throw new NocturnalError('usage', `--${key}: expected a branch name, got an empty value`);
      }
      const before = (await ctx.call('workspaces:list', {})).find((w) => w.name === name);
      const orNull = (value: string | undefined) =>
        value === undefined ? undefined : value.trim() === '' ? null : value;
      const after = await ctx.call('workspaces:update', {
        name,
        base: options.base,
        target: options.target,
        startFrom: options.startFrom as 'target' | 'base' | undefined,
        test: orNull(options.test),
        lint: orNull(options.lint),
        typecheck: orNull(options.typecheck),
        build: orNull(options.build),
        setup: orNull(options.setup),
      });
      const changes = before ? describeChanges(before, after) : [];
      writeLine(
        ctx.io.stdout,
        changes.length === 0
          ? `workspace "${after.name}": nothing changed (the values given were already set)`
          : `changed workspace "${after.name}":`,
      );
      for (const line of changes) writeLine(ctx.io.stdout, `  ${line}`);
    });
}

function describeChanges(before: Workspace, after: Workspace): string[] {
  const lines: string[] = [];
  const show = (value: string | null | undefined) =>
    value === null || value === undefined ? '(none)' : JSON.stringify(value);
  if (before.baseBranch !== after.baseBranch) lines.push(`base: ${before.baseBranch} → ${after.baseBranch}`);
  if (before.targetBranch !== after.targetBranch) lines.push(`target: ${before.targetBranch} → ${after.targetBranch}`);
  if (before.startFrom !== after.startFrom) lines.push(`start from: ${before.startFrom} → ${after.startFrom}`);
  for (const check of checkOptions) {
    if (before.checks[check] !== after.checks[check])
      lines.push(`${check}: ${show(before.checks[check])} → ${show(after.checks[check])}`);
  }
  if (before.setupCommand !== after.setupCommand)
    lines.push(
      `setup: ${before.setupCommand === null ? '(detected)' : show(before.setupCommand)} → ${after.setupCommand === null ? '(detected from the lock files)' : show(after.setupCommand)}`,
    );
  return lines;
}
