// Changing a registered workspace (`workspace edit`, `workspaces:update`): its checks, setup, base and
// target branches and where attempts start. Every value is judged by the rules `workspace add`
// applies (the shell parser and command policy for commands, an existing base, a valid target name)
// before anything is written, and all of it is written in one statement: a bad value changes nothing.
import type { Workspace } from '../../../src-shared/domain/records';
import type { WorkspaceChecks, WorkspaceStartFrom } from '../../../src-shared/domain/workspace';
import { checkNames } from '../../../src-shared/domain/attempt';
import { NocturnalError } from '../errors/nocturnal-error';
import { branchExists } from '../git/branch-exists';
import { runGit } from '../git/run-git';
import type { GitCallOptions } from '../git/run-git';
import type { Store } from '../store/store';
import { validateCheckCommands } from './check-command-validation';

export interface WorkspaceChanges {
  baseBranch?: string | undefined;
  targetBranch?: string | undefined;
  startFrom?: WorkspaceStartFrom | undefined;
  /** A command sets the check, null drops it; a check left out stays as it is. */
  checks?: Partial<Record<keyof WorkspaceChecks, string | null | undefined>>;
  /** A command replaces the setup; null goes back to the one detected from the lock files. */
  setupCommand?: string | null | undefined;
}

export interface WorkspaceEditDeps {
  store: Store;
  git: GitCallOptions;
  blockedCommands: readonly string[];
}

export async function editWorkspace(
  deps: WorkspaceEditDeps,
  workspace: Workspace,
  changes: WorkspaceChanges,
): Promise<Workspace> {
  const running = deps.store.tasks.list({ workspaceId: workspace.id }).find((task) => task.status === 'running');
  if (running)
    throw new NocturnalError(
      'conflict',
      `workspace "${workspace.name}" has a running task (${running.id}); change it after the session`,
    );

  const checks: WorkspaceChecks = {};
  for (const name of checkNames) {
    const change = changes.checks?.[name];
    if (typeof change === 'string' && change.trim() === '')
      throw usage(
        `--${name}: the command is empty; give a command, or "" from the CLI (null through the API) drops the check`,
      );
    const command = change === undefined ? workspace.checks[name] : change?.trim();
    if (command !== undefined && command !== null) checks[name] = command;
  }
  if (Object.keys(checks).length === 0)
    throw usage(
      `workspace "${workspace.name}" needs at least one check command; dropping ${Object.keys(workspace.checks)
        .map((n) => `--${n}`)
        .join(', ')} would leave none, and without checks no change can be scored`,
    );
  validateCheckCommands(checks, deps.blockedCommands);

  const baseBranch = changes.baseBranch ?? workspace.baseBranch;
  if (changes.baseBranch !== undefined && !(await branchExists(workspace.path, baseBranch, deps.git)))
    throw usage(`--base: branch "${baseBranch}" does not exist in ${workspace.path}`);
  const targetBranch = changes.targetBranch ?? workspace.targetBranch;
  if (changes.targetBranch !== undefined) {
    const format = await runGit(workspace.path, ['check-ref-format', '--branch', targetBranch], {
      ...deps.git,
      okExitCodes: [0, 1, 128],
    });
    if (format.exitCode !== 0) throw usage(`--target: "${targetBranch}" is not a valid branch name`);
  }
  if (baseBranch === targetBranch)
    throw usage(
      `--target: the target branch must differ from the base branch "${baseBranch}" (auto-approved work lands on the target, never on the base)`,
    );

  let setupCommand = workspace.setupCommand;
  if (changes.setupCommand !== undefined) {
    if (changes.setupCommand !== null && changes.setupCommand.trim() === '')
      throw usage(
        '--setup: the setup command is empty; use "" from the CLI (null through the API) to go back to the detected setup',
      );
    setupCommand = changes.setupCommand?.trim() ?? null;
  }

  deps.store.workspaces.update(workspace.id, {
    baseBranch,
    targetBranch,
    checks,
    setupCommand,
    startFrom: changes.startFrom ?? workspace.startFrom,
  });
  const updated = deps.store.workspaces.get(workspace.id);
  if (!updated) throw new Error(`workspace ${workspace.id} vanished while it was being changed`);
  return updated;
}

function usage(message: string): NocturnalError {
  return new NocturnalError('usage', message);
}
