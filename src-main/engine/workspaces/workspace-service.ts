// Registering the user's repositories. A workspace is accepted only when the engine can actually
// work on it: a non-bare git repository with at least one commit, an existing base branch, and at
// least one check command (a change that nothing can check cannot earn a score) — given, or detected
// from the repository as committed on the base (./detect-checks), together with its dependency setup
// (./detect-setup). `check` runs the setup and the checks once on the base (./baseline-run).
import fs from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../../../src-shared/domain/records';
import { workspaceNameSchema } from '../../../src-shared/domain/workspace';
import type { WorkspaceChecks, WorkspaceStartFrom } from '../../../src-shared/domain/workspace';
import { NocturnalError } from '../errors/nocturnal-error';
import { branchExists } from '../git/branch-exists';
import { getRepositoryInfo } from '../git/repository-info';
import { runGit } from '../git/run-git';
import type { GitCallOptions } from '../git/run-git';
import type { Store } from '../store/store';
import type { KnowledgeVault } from '../knowledge/knowledge-vault';
import { resolveCommit } from '../git/resolve-ref';
import { runBaseline } from './baseline-run';
import type { BaselineDeps, BaselineResult } from './baseline-run';
import { detectChecks } from './detect-checks';
import type { SuggestedCheck } from './detect-checks';
import { detectSetup } from './detect-setup';
import type { SetupPlan } from './detect-setup';
import { filesAtCommit, filesInFolder } from './repo-files';
import type { RepoFiles } from './repo-files';
import { validateCheckCommands } from './check-command-validation';
import { editWorkspace } from './workspace-edit';
import { cleanUpWorkspace, planRemoval } from './workspace-removal';
import type { RemovalDeps, RemovalPlan } from './workspace-removal';
import type { WorkspaceChanges } from './workspace-edit';

export interface AddWorkspaceInput {
  path: string;
  name?: string | undefined;
  baseBranch?: string | undefined;
  targetBranch?: string | undefined;
  startFrom?: WorkspaceStartFrom | undefined;
  checks: WorkspaceChecks;
  /** `--setup CMD`: replaces the setup detected from the lock files. */
  setupCommand?: string | undefined;
}

export interface Detection {
  setup: SetupPlan | null;
  checks: SuggestedCheck[];
}

export const DEFAULT_TARGET_BRANCH = 'nocturnal/integration';

export class WorkspaceService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly git: GitCallOptions,
    private readonly knowledge: KnowledgeVault,
    private readonly baseline: BaselineDeps,
    /** `safety.blocked_commands`, applied to the check commands when they are configured. */
    private readonly blockedCommands: readonly string[] = [],
  ) {}

  /** What a repository folder suggests, before it is registered (the API's `workspaces:detect`). */
  async detect(folder: string): Promise<Detection> {
    return detectFrom(filesInFolder(path.resolve(folder)), null);
  }

  /** Runs the setup and every check once on the base: `workspace add` and `workspace check NAME`. */
  check(name: string, signal?: AbortSignal): Promise<BaselineResult> {
    return runBaseline(this.baseline, this.require(name), signal);
  }

  /** What the registered workspace's base commit suggests (its own `--setup` included). */
  async detection(name: string): Promise<Detection> {
    const workspace = this.require(name);
    const baseCommit = await resolveCommit(workspace.path, workspace.baseBranch, this.git);
    if (!baseCommit)
      throw usage(`base branch ${workspace.baseBranch} of workspace "${name}" no longer exists in ${workspace.path}`);
    return detectFrom(filesAtCommit(workspace.path, baseCommit, this.git), workspace.setupCommand);
  }

  async add(input: AddWorkspaceInput): Promise<Workspace> {
    const requested = path.resolve(input.path);
    if (!fs.existsSync(requested)) throw usage(`${requested} does not exist`);
    const info = await getRepositoryInfo(requested, this.git);
    if (!info.isRepository) throw usage(`${requested} is not a git repository (${info.reason})`);
    if (info.bare || !info.topLevel)
      throw usage(`${requested} is a bare repository; register a repository with a working tree`);
    if (!info.hasCommits)
      throw usage(`${info.topLevel} has no commits yet; make a first commit so there is a base to branch from`);
    const repoPath = fs.realpathSync(info.topLevel);

    const baseBranch = input.baseBranch ?? info.currentBranch;
    if (!baseBranch) throw usage(`${repoPath} has a detached HEAD; name the base branch with --base`);
    if (!(await branchExists(repoPath, baseBranch, this.git)))
      throw usage(`--base: branch "${baseBranch}" does not exist in ${repoPath}`);

    const targetBranch = input.targetBranch ?? DEFAULT_TARGET_BRANCH;
    const format = await runGit(repoPath, ['check-ref-format', '--branch', targetBranch], {
      ...this.git,
      okExitCodes: [0, 1, 128],
    });
    if (format.exitCode !== 0) throw usage(`--target: "${targetBranch}" is not a valid branch name`);

    const setupCommand = input.setupCommand?.trim();
    if (input.setupCommand !== undefined && !setupCommand)
      throw usage('--setup: the setup command is empty; leave it out to use the one detected from the lock files');
    // Detection reads the base as committed: that is what every attempt starts from.
    const baseCommit = await resolveCommit(repoPath, baseBranch, this.git);
    if (!baseCommit) throw usage(`--base: branch "${baseBranch}" does not resolve to a commit in ${repoPath}`);
    const detection = await detectFrom(filesAtCommit(repoPath, baseCommit, this.git), setupCommand ?? null);
    const given = Object.fromEntries(
      Object.entries(input.checks).filter(([, command]) => command && command.trim() !== ''),
    ) as WorkspaceChecks;
    const checks: WorkspaceChecks =
      Object.keys(given).length > 0 ? given : Object.fromEntries(detection.checks.map((c) => [c.name, c.command]));
    if (Object.keys(checks).length === 0) {
      throw usage(
        'a workspace needs at least one check command (--test, --lint, --typecheck or --build): none was given and none was found in the repository ' +
          '(package.json scripts, pytest configuration, Cargo.toml, go.mod or Makefile targets); without checks no change can be scored',
      );
    }
    validateCheckCommands(checks, this.blockedCommands);

    const name = input.name ?? path.basename(repoPath);
    const parsedName = workspaceNameSchema.safeParse(name);
    if (!parsedName.success)
      throw usage(`--name: "${name}" is not usable: ${parsedName.error.issues[0]?.message ?? 'invalid'}`);
    if (this.store.workspaces.byName(name))
      throw usage(`a workspace named "${name}" already exists; choose another with --name`);
    const existing = this.store.workspaces.byPath(repoPath);
    if (existing) throw usage(`${repoPath} is already registered as workspace "${existing.name}"`);

    const workspace = this.store.workspaces.add(
      {
        name,
        path: repoPath,
        baseBranch,
        targetBranch,
        checks,
        setupCommand: setupCommand ?? null,
        startFrom: input.startFrom ?? 'target',
      },
      this.now(),
    );
    await this.knowledge.ensureWorkspaceNote(workspace);
    return workspace;
  }

  list(): Workspace[] {
    return this.store.workspaces.list();
  }

  require(name: string): Workspace {
    const workspace = this.store.workspaces.byName(name);
    if (!workspace) {
      const names = this.store.workspaces.list().map((w) => w.name);
      throw new NocturnalError(
        'usage',
        `no workspace named "${name}"${names.length ? ` (known: ${names.join(', ')})` : ' (add one with `nocturnal workspace add PATH`)'}`,
      );
    }
    return workspace;
  }

  /** `workspace edit`: see ./workspace-edit for the rules. */
  update(name: string, changes: WorkspaceChanges): Promise<Workspace> {
    return editWorkspace(
      { store: this.store, git: this.git, blockedCommands: this.blockedCommands },
      this.require(name),
      changes,
    );
  }

  /** What `remove` would delete: tasks, waiting attempts, attempt branches, engine worktrees. */
  removalPlan(name: string): Promise<RemovalPlan> {
    return planRemoval(this.removalDeps(), this.require(name));
  }

  /** Forgets the workspace and cleans up after it (./workspace-removal); its repository's checkout is not touched. */
  async remove(name: string): Promise<Workspace> {
    const workspace = this.require(name);
    const active = this.store.tasks.list({ workspaceId: workspace.id }).filter((t) => t.status === 'running');
    if (active.length > 0)
      throw new NocturnalError(
        'conflict',
        `workspace "${name}" has a running task (${active[0]?.id}); wait for the session to finish`,
      );
    const deps = this.removalDeps();
    await cleanUpWorkspace(deps, await planRemoval(deps, workspace));
    return workspace;
  }

  private removalDeps(): RemovalDeps {
    return { store: this.store, git: this.git, worktreesRoot: this.baseline.worktrees, now: this.now };
  }
}

async function detectFrom(files: RepoFiles, setupCommand: string | null): Promise<Detection> {
  const setup = await detectSetup(files, setupCommand);
  return { setup, checks: await detectChecks(files, setup) };
}

function usage(message: string): NocturnalError {
  return new NocturnalError('usage', message);
}
