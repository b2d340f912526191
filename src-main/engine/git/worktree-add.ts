// Creates an attempt's worktree: a NEW branch from a base commit, checked out in a directory under the
// engine's own root. Never reuses a branch (an existing one may hold the user's or an earlier attempt's
// work) and never a path that exists. The result records the worktree's git dir and the repository's
// common dir (./engine-worktree): every later git command on the worktree names them explicitly.
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath } from './owned-path';
import { branchExists } from './branch-exists';
import { resolveCommit } from './resolve-ref';
import { isValidBranchName } from './branch-name';
import { shortBranchName } from './refs';
import type { EngineWorktree } from './engine-worktree';
import { expectedDotGit } from './engine-worktree';
import { findWorktreeAdminDir, repositoryCommonDir } from './worktree-admin-dir';
import { GitError } from './git-error';

export interface AddWorktreeParams extends GitCallOptions {
  repoPath: string;
  /** Where to create it; must be strictly inside `ownedRoot`. Parent directories are created. */
  worktreePath: string;
  /** The engine's directory for worktrees (`<home>/worktrees`). */
  ownedRoot: string;
  /** Short name of the branch to create, e.g. `nocturnal/<task-id>/1`. */
  branch: string;
  /** Branch name or commit to start from. */
  base: string;
}

export type AddWorktreeResult =
  | { kind: 'created'; path: string; branch: string; head: string; worktree: EngineWorktree }
  | { kind: 'invalid-branch-name' }
  | { kind: 'branch-exists' }
  | { kind: 'base-not-found' }
  | { kind: 'path-exists' };

export async function addWorktree(params: AddWorktreeParams): Promise<AddWorktreeResult> {
  const call = callOptions(params);
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree path');
  const branch = shortBranchName(params.branch);
  if (!(await isValidBranchName(params.repoPath, branch, call))) return { kind: 'invalid-branch-name' };
  if (await branchExists(params.repoPath, branch, call)) return { kind: 'branch-exists' };
  const head = await resolveCommit(params.repoPath, params.base, call);
  if (head === null) return { kind: 'base-not-found' };
  const target = await canonicalPath(path.resolve(params.worktreePath));
  if (await exists(target)) return { kind: 'path-exists' };

  // Starting from the resolved commit (not the branch name) means no upstream tracking is set up and
  // the base cannot move between our check and git's checkout.
  const args = ['worktree', 'add', '--quiet', '--no-track', '-b', branch, '--', target, head];
  await runGit(params.repoPath, args, call);
  // Recorded now, before anything else has run in the worktree, and from the repository's side.
  const commonDir = await repositoryCommonDir(params.repoPath, call);
  const gitDir = await findWorktreeAdminDir(commonDir, target);
  const worktree: EngineWorktree = { repoPath: params.repoPath, path: target, gitDir: gitDir ?? '', commonDir, branch };
  const dotGit = await readFile(path.join(target, '.git'), 'utf8').catch(() => null);
  if (gitDir === null || dotGit !== expectedDotGit(worktree)) {
    throw new GitError({
      args,
      cwd: params.repoPath,
      exitCode: 0,
      stderr: '',
      message: `git worktree add left ${target} without the administrative folder and .git file git itself writes`,
    });
  }
  return { kind: 'created', path: target, branch, head, worktree };
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
