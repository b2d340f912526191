// A throwaway worktree at a commit, with no branch: for running the checks on a tree that exists only as
// a commit object (the merge result of an attempt into a target that moved). Same ownership rules as
// an attempt's worktree: strictly inside the engine's root, never an existing path.
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath } from './owned-path';
import { assertOid } from './refs';

export interface AddDetachedWorktreeParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  ownedRoot: string;
  commit: string;
}

export type AddDetachedWorktreeResult = { kind: 'created'; path: string } | { kind: 'path-exists' };

export async function addDetachedWorktree(params: AddDetachedWorktreeParams): Promise<AddDetachedWorktreeResult> {
  assertOid(params.commit, 'commit');
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree path');
  const target = await canonicalPath(path.resolve(params.worktreePath));
  try {
    await lstat(target);
    return { kind: 'path-exists' };
  } catch {
    // Absent: the expected case.
  }
  await runGit(params.repoPath, ['worktree', 'add', '--quiet', '--detach', '--', target, params.commit], callOptions(params));
  return { kind: 'created', path: target };
}
