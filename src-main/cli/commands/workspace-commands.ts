import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { writeJson, writeLine } from '../cli-io';

interface AddOptions {
  name?: string;
  base?: string;
  target?: string;
  test?: string;
  lint?: string;
  typecheck?: string;
  build?: string;
}

export function registerWorkspaceCommands(program: Command, context: () => CliContext): void {
  const workspace = program.command('workspace').description('register the git repositories the agent may work on');

  workspace
    .command('add')
    .description('register a git repository (needs at least one check command)')
    .argument('<path>', 'path of the repository')
    .option('--name <name>', 'short name (default: the folder name)')
    .option('--base <branch>', 'branch attempts start from (default: the current branch)')
    .option('--target <branch>', 'branch auto-approved work lands on', 'nocturnal/integration')
    .option('--test <cmd>', 'test command, e.g. "npm test"')
    .option('--lint <cmd>', 'lint command')
    .option('--typecheck <cmd>', 'type-check command')
    .option('--build <cmd>', 'build command')
    .action(async (repoPath: string, options: AddOptions) => {
      const ctx = context();
      const added = await ctx.call('workspaces:add', {
        path: repoPath,
        name: options.name,
        base: options.base,
        target: options.target,
        test: options.test,
        lint: options.lint,
        typecheck: options.typecheck,
        build: options.build,
      });
      writeLine(ctx.io.stdout, `added workspace "${added.name}" (${added.path}): base ${added.baseBranch} → target ${added.targetBranch}`);
      writeLine(ctx.io.stdout, `checks: ${Object.entries(added.checks).map(([k, v]) => `${k}: ${v}`).join('; ')}`);
    });

  workspace
    .command('list')
    .description('list registered workspaces')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const ctx = context();
      const list = await ctx.call('workspaces:list', {});
      if (options.json) return writeJson(ctx.io.stdout, list);
      if (list.length === 0) return writeLine(ctx.io.stdout, 'no workspaces yet: nocturnal workspace add PATH --test "npm test"');
      for (const w of list) writeLine(ctx.io.stdout, `${w.name}\t${w.path}\t${w.baseBranch} → ${w.targetBranch}\t${Object.keys(w.checks).join(',')}`);
    });

  workspace
    .command('remove')
    .description('forget a workspace (its repository is not touched)')
    .argument('<name>', 'workspace name')
    .action(async (name: string) => {
      const ctx = context();
      const removed = await ctx.call('workspaces:remove', { name });
      writeLine(ctx.io.stdout, `removed workspace "${removed.name}"; ${removed.path} was not touched`);
    });
}
