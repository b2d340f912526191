// A throw-away worktree on a commit with no branch at all (`worktree add --detach`): for the baseline
// run of `workspace add` / `workspace check`, which must leave no branch and no ref behind in the
// user's repository. Same rules as ./worktree-add: only under the engine's root, never an existing path.
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath } from './owned-path';
import { resolveCommit } from './resolve-ref';
import type { EngineWorktree } from './engine-worktree';
import { expectedDotGit } from './engine-worktree';
import { GitError } from './git-error';
import { findWorktreeAdminDir, repositoryCommonDir } from './worktree-admin-dir';

export interface AddDetachedWorktreeParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  ownedRoot: string;
  /** Branch name or commit to check out. */
  base: string;
}

export type AddDetachedWorktreeResult =
  | { kind: 'created'; path: string; head: string; worktree: EngineWorktree }
  | { kind: 'base-not-found' }
  | { kind: 'path-exists' };

export async function addDetachedWorktree(params: AddDetachedWorktreeParams): Promise<AddDetachedWorktreeResult> {
  const call = callOptions(params);
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree path');
  const head = await resolveCommit(params.repoPath, params.base, call);
  if (head === null) return { kind: 'base-not-found' };
  const target = await canonicalPath(path.resolve(params.worktreePath));
  if ((await lstat(target).catch(() => null)) !== null) return { kind: 'path-exists' };
  const args = ['worktree', 'add', '--quiet', '--detach', '--', target, head];
  await runGit(params.repoPath, args, call);
  // Recorded from the repository's side, as for attempt worktrees: later git calls are pinned to it.
  const commonDir = await repositoryCommonDir(params.repoPath, call);
  const gitDir = await findWorktreeAdminDir(commonDir, target);
  const worktree: EngineWorktree = {
    repoPath: params.repoPath,
    path: target,
    gitDir: gitDir ?? '',
    commonDir,
    branch: '',
    detachedAt: head,
  };
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
  return { kind: 'created', path: target, head, worktree };
}
