// What removing a workspace deletes, said before it happens (`workspace remove` prints it and asks for
// --force when tasks exist), and the clean-up itself: the engine's worktrees of the repository (the
// pool's included: every registered worktree inside the engine's root), the attempt branches still in
// the repository (each with a backup ref, by compare-and-swap, never one checked out anywhere), then
// the tasks and attempts in the database. The user's checkout, their branches, the target branch and
// the backup refs are never touched.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Task, Workspace } from '../../../src-shared/domain/records';
import { deleteBranch } from '../git/branch-delete';
import { branchExists } from '../git/branch-exists';
import { listWorktrees } from '../git/list-worktrees';
import { isStrictlyInside } from '../git/owned-path';
import type { GitCallOptions } from '../git/run-git';
import { removeWorktree } from '../git/worktree-remove';
import type { Store } from '../store/store';

export interface RemovalPlan {
  workspace: Workspace;
  tasks: Pick<Task, 'id' | 'title' | 'status'>[];
  /** Attempts waiting for a decision (review, or held because the target could not take them). */
  waitingAttempts: { id: string; taskId: string; branch: string }[];
  /** Attempt branches that still exist in the repository. */
  branches: string[];
  /** Engine worktrees of the repository (attempts, baselines, the pool). */
  worktrees: string[];
}

export interface RemovalDeps {
  store: Store;
  git: GitCallOptions;
  /** `<home>/worktrees`: everything the engine checked out lives under it. */
  worktreesRoot: string;
  now: () => Date;
}

export interface RemovalOutcome {
  deletedBranches: { branch: string; backupRef: string }[];
  /** Branches left in place, with why (checked out somewhere, moved since). */
  keptBranches: { branch: string; why: string }[];
  removedWorktrees: string[];
}

export async function planRemoval(deps: RemovalDeps, workspace: Workspace): Promise<RemovalPlan> {
  const tasks = deps.store.tasks.list({ workspaceId: workspace.id });
  const attempts = tasks.flatMap((task) => deps.store.attempts.forTask(task.id));
  const branches: string[] = [];
  const repoThere = await exists(workspace.path);
  for (const branch of new Set(attempts.map((a) => a.branch))) {
    if (repoThere && (await branchExists(workspace.path, branch, deps.git))) branches.push(branch);
  }
  return {
    workspace,
    tasks: tasks.map((task) => ({ id: task.id, title: task.title, status: task.status })),
    waitingAttempts: attempts
      .filter((a) => a.status === 'review')
      .map((a) => ({ id: a.id, taskId: a.taskId, branch: a.branch })),
    branches,
    worktrees: repoThere ? await engineWorktrees(deps, workspace) : [],
  };
}

export async function cleanUpWorkspace(deps: RemovalDeps, plan: RemovalPlan): Promise<RemovalOutcome> {
  const { workspace } = plan;
  const outcome: RemovalOutcome = { deletedBranches: [], keptBranches: [], removedWorktrees: [] };
  // Worktrees first: a branch checked out in one of the engine's worktrees could not be deleted.
  for (const worktree of plan.worktrees) {
    const removed = await removeWorktree({
      ...deps.git,
      repoPath: workspace.path,
      worktreePath: worktree,
      ownedRoot: deps.worktreesRoot,
    });
    if (removed.kind === 'removed' || removed.kind === 'repository-gone') outcome.removedWorktrees.push(worktree);
  }
  await fs.rm(path.join(deps.worktreesRoot, workspace.id), { recursive: true, force: true });
  for (const branch of plan.branches) {
    const deleted = await deleteBranch({ ...deps.git, repoPath: workspace.path, branch, now: deps.now() });
    if (deleted.kind === 'deleted') outcome.deletedBranches.push({ branch, backupRef: deleted.backupRef });
    else if (deleted.kind === 'checked-out')
      outcome.keptBranches.push({ branch, why: `checked out in ${deleted.worktree}` });
    else if (deleted.kind !== 'not-found')
      outcome.keptBranches.push({ branch, why: `it moved while being deleted (${deleted.kind})` });
  }
  deps.store.workspaces.remove(workspace.id);
  return outcome;
}

async function engineWorktrees(deps: RemovalDeps, workspace: Workspace): Promise<string[]> {
  const inside: string[] = [];
  for (const worktree of await listWorktrees(workspace.path, deps.git)) {
    if (!worktree.isMain && (await isStrictlyInside(worktree.path, deps.worktreesRoot))) inside.push(worktree.path);
  }
  return inside;
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}
