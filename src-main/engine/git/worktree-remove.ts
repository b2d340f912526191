// Removes a worktree the engine created. Only a registered worktree strictly inside the engine's root
// is removed, and only with `git worktree remove --force` on that one path, which also drops its
// administrative entry even when the directory is already gone. We deliberately do not run a global
// `git worktree prune`: it would also delete the metadata of the user's own worktrees whose directory
// is merely missing for now (an unmounted disk), which is theirs to decide.
import { lstat } from 'node:fs/promises';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, samePath } from './owned-path';
import { listWorktrees } from './list-worktrees';
import { NocturnalError } from '../errors/nocturnal-error';

export interface RemoveWorktreeParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  ownedRoot: string;
}

export type RemoveWorktreeResult =
  | { kind: 'removed'; path: string }
  /** Neither registered nor on disk: already cleaned up. */
  | { kind: 'absent' }
  /** A directory exists but is not a worktree of this repository: left alone, the caller decides. */
  | { kind: 'not-registered' };

export async function removeWorktree(params: RemoveWorktreeParams): Promise<RemoveWorktreeResult> {
  const call = callOptions(params);
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree');
  let entry = null;
  for (const worktree of await listWorktrees(params.repoPath, call)) {
    if (await samePath(worktree.path, params.worktreePath)) {
      entry = worktree;
      break;
    }
  }
  if (entry === null) return (await exists(params.worktreePath)) ? { kind: 'not-registered' } : { kind: 'absent' };
  if (entry.isMain) {
    throw new NocturnalError('runtime', `refusing to remove ${entry.path}: it is the repository's main working tree`);
  }
  await runGit(params.repoPath, ['worktree', 'remove', '--force', '--', entry.path], call);
  return { kind: 'removed', path: entry.path };
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
