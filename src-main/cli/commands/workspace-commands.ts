import type { Command } from 'commander';
import type { Workspace } from '../../../src-shared/domain/records';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';
import { workspaceStartFromSchema } from '../../../src-shared/domain/workspace';
import { NocturnalError } from '../../engine/errors/nocturnal-error';
import { printBaseline, printDetection } from './workspace-baseline-output';

interface AddOptions {
  name?: string;
  base?: string;
  target?: string;
  startFrom?: string;
  test?: string;
  lint?: string;
  typecheck?: string;
  build?: string;
  setup?: string;
  /** commander's `--no-check`. */
  check?: boolean;
}

export function registerWorkspaceCommands(program: Command, context: () => CliContext): void {
  const workspace = program.command('workspace').description('register the git repositories the agent may work on');

  workspace
    .command('add')
    .description(
      'register a git repository: checks and dependency setup are detected when not given, then run once on the base',
    )
    .argument('<path>', 'path of the repository')
    .option('--name <name>', 'short name (default: the folder name)')
    .option('--base <branch>', 'branch attempts start from (default: the current branch)')
    .option('--target <branch>', 'branch auto-approved work lands on', 'nocturnal/integration')
    .option(
      '--start-from <where>',
      'attempts start from the "target" branch when it contains the base (work compounds), or always from the "base"',
      'target',
    )
    .option('--test <cmd>', 'test command, e.g. "npm test"')
    .option('--lint <cmd>', 'lint command')
    .option('--typecheck <cmd>', 'type-check command')
    .option('--build <cmd>', 'build command')
    .option(
      '--setup <cmd>',
      'dependency setup command, run with network once per lock-file content (default: detected from the lock files)',
    )
    .option('--no-check', 'skip the baseline run of the setup and checks on the base')
    .action(async (repoPath: string, options: AddOptions) => {
      const ctx = context();
      const startFrom = workspaceStartFromSchema.safeParse(options.startFrom);
      if (!startFrom.success)
        throw new NocturnalError(
          'usage',
          `--start-from: expected "target" or "base", got "${options.startFrom ?? ''}"`,
        );
      const added = await ctx.call('workspaces:add', {
        startFrom: startFrom.data,
        path: repoPath,
        name: options.name,
        base: options.base,
        target: options.target,
        test: options.test,
        lint: options.lint,
        typecheck: options.typecheck,
        build: options.build,
        setup: options.setup,
      });
      const out = ctx.io.stdout;
      const engine = await ctx.openEngine();
      writeLine(
        out,
        `added workspace "${added.name}" (${added.path}): base ${added.baseBranch} → target ${added.targetBranch}; attempts start from ${added.startFrom === 'target' ? 'the target when it contains the base' : 'the base'}`,
      );
      printDetection(out, await engine.workspaces.detection(added.name), added.checks);
      if (options.check === false)
        return writeLine(
          out,
          `baseline skipped (--no-check): run \`nocturnal workspace check ${added.name}\` before the first night`,
        );
      printBaseline(out, added.baseBranch, await engine.workspaces.check(added.name));
    });

  workspace
    .command('check')
    .description('run the dependency setup and every check once on the base, and say what passes')
    .argument('<name>', 'workspace name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const ctx = context();
      const engine = await ctx.openEngine();
      const result = await engine.workspaces.check(name);
      if (options.json) return writeJson(ctx.io.stdout, result);
      const workspace = engine.workspaces.require(name);
      printDetection(ctx.io.stdout, await engine.workspaces.detection(name), workspace.checks);
      printBaseline(ctx.io.stdout, workspace.baseBranch, result);
    });

  workspace
    .command('list')
    .description('list registered workspaces')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const list = await ctx.call('workspaces:list', {});
      if (options.json) return writeJson(ctx.io.stdout, list);
      if (list.length === 0)
        return writeLine(ctx.io.stdout, 'no workspaces yet: nocturnal workspace add PATH --test "npm test"');
      for (const w of list)
        writeLine(
          ctx.io.stdout,
          `${w.name}\t${w.path}\t${w.baseBranch} → ${w.targetBranch}\t${Object.keys(w.checks).join(',')}\t${setupState(w.setupStatus)}`,
        );
    });
}

/** The last dependency setup, as `workspace list` shows it: failures are the workspace's, said here. */
export function setupState(status: Workspace['setupStatus']): string {
  if (status === null) return 'setup: none yet';
  if (status.state === 'ready') return `setup: ready (${status.kind}, ${status.hash})`;
  return `setup: FAILED (${status.kind}, ${status.hash}): ${(status.message ?? '').split('\n')[0] ?? ''}`;
}
