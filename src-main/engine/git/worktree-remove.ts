// Removes a worktree the engine created. Only a registered worktree strictly inside the engine's root
// is removed, and only with `git worktree remove --force` on that one path, which also drops its
// administrative entry even when the directory is already gone. We deliberately do not run a global
// `git worktree prune`: it would also delete the metadata of the user's own worktrees whose directory
// is merely missing for now (an unmounted disk), which is theirs to decide.
//
// A check may have rewritten the worktree's `.git` file (with the sandbox off, also the admin
// folder's `gitdir`); git refuses to remove a worktree whose links do not match, which would leave it
// registered in the user's repository. The links are the engine's own bookkeeping for its own
// worktree, so they are put back to what git wrote before git is asked to remove it. If the whole
// repository is gone (deleted or moved during the night), nothing is registered any more and the
// engine's folder is deleted directly.
import { lstat, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath, isStrictlyInside, samePath } from './owned-path';
import { listWorktrees } from './list-worktrees';
import { findWorktreeAdminDir, repositoryCommonDir } from './worktree-admin-dir';
import { NocturnalError } from '../errors/nocturnal-error';

export interface RemoveWorktreeParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  ownedRoot: string;
  /** The admin folder recorded when the worktree was created, when the caller has it. */
  gitDir?: string;
}

export type RemoveWorktreeResult =
  | { kind: 'removed'; path: string }
  /** Neither registered nor on disk: already cleaned up. */
  | { kind: 'absent' }
  /** A directory exists but is not a worktree of this repository: left alone, the caller decides. */
  | { kind: 'not-registered' }
  /** The repository no longer exists: the engine's folder was deleted, there is nothing to unregister. */
  | { kind: 'repository-gone'; path: string };

export async function removeWorktree(params: RemoveWorktreeParams): Promise<RemoveWorktreeResult> {
  const call = callOptions(params);
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree');
  if (!(await exists(params.repoPath))) {
    const target = await canonicalPath(params.worktreePath);
    if (!(await exists(target))) return { kind: 'absent' };
    await rm(target, { recursive: true, force: true });
    return { kind: 'repository-gone', path: target };
  }
  const commonDir = await repositoryCommonDir(params.repoPath, call);
  await repairLinks(commonDir, params);

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
  // A locked worktree needs the force given twice. Under the engine's root the lock is git's own
  // "initializing" from a `worktree add` that a crash cut short (git takes it for the length of the
  // add): without the second force such a worktree was never removed, and a crashed session's
  // recovery left it, and the worktrees after it, behind.
  const force = entry.locked ? ['--force', '--force'] : ['--force'];
  await runGit(params.repoPath, ['worktree', 'remove', ...force, '--', entry.path], call);
  return { kind: 'removed', path: entry.path };
}

/** Puts the two links between worktree and admin folder back to what `git worktree add` wrote. */
async function repairLinks(commonDir: string, params: RemoveWorktreeParams): Promise<void> {
  const target = await canonicalPath(params.worktreePath);
  const dotGit = path.join(target, '.git');
  let adminDir = await findWorktreeAdminDir(commonDir, target);
  if (
    adminDir === null &&
    params.gitDir !== undefined &&
    (await isStrictlyInside(params.gitDir, path.join(commonDir, 'worktrees'))) &&
    (await exists(params.gitDir))
  ) {
    // The admin folder's `gitdir` no longer names this worktree: only a check can have done that.
    adminDir = await canonicalPath(params.gitDir);
    await writeFile(path.join(adminDir, 'gitdir'), `${dotGit}\n`);
  }
  if (adminDir === null || !(await exists(target))) return;
  const expected = `gitdir: ${adminDir}\n`;
  const info = await lstat(dotGit).catch(() => null);
  if (info?.isFile() === true && (await readFile(dotGit, 'utf8')) === expected) return;
  // rm never follows a symlink: a `.git` link to the user's repository loses the link, nothing else.
  await rm(dotGit, { recursive: true, force: true });
  await writeFile(dotGit, expected);
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}
