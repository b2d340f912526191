// Resets a pooled worktree (one the engine made and verified untampered, see worktree-integrity's
// verifyPooledWorktree) for the next attempt: a NEW branch at the attempt's start commit, that
// commit's tree in the index and on disk, and nothing left of the previous attempt — untracked and
// ignored files included. Three git processes, all pinned to the worktree's recorded git dir:
// `status` (what to delete), `read-tree -m -u OLD NEW` (git's own checkout step: rewrites only the
// files that differ between the two commits, so a 10k-file tree costs what the change costs, not a
// fresh checkout and a delete), and `update-ref` creating the branch (compare-and-swap against "must
// not exist": an existing branch is never taken over). The command policy refuses `clean`,
// `checkout -f` and `read-tree --reset` everywhere; none is needed here.
//
// HEAD is the worktree's own admin file, which git made for the engine: it is written directly
// (symlink-proof) instead of spawning `symbolic-ref`, in the exact form git writes.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { NocturnalError } from '../errors/nocturnal-error';
import { isWithin } from '../safety/path-within';
import { writeRegularFile } from '../safety/safe-write';
import type { EngineWorktree } from './engine-worktree';
import { assertOwnedPath } from './owned-path';
import { assertOid, branchRef, shortBranchName } from './refs';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions, RunGitOptions } from './run-git';
import { deleteRefCas, updateRefCas } from './update-ref';
import { restoreWorktreeToHead } from './worktree-restore';

export interface ReuseWorktreeParams extends GitCallOptions {
  /** The pooled worktree, detached at the commit it was released at (`detachedAt`). */
  worktree: EngineWorktree;
  ownedRoot: string;
  /** Short name of the attempt's new branch. */
  branch: string;
  /** The commit the attempt starts from. */
  start: string;
  /** `-c` settings that switch off the repository's filter drivers (engine-worktree's neutralisedFilters). */
  filterConfig: readonly string[];
  /**
   * The previous attempt ended right after a check and left its restore to this reuse: tracked files
   * that differ from the released commit are put back (worktree-restore) instead of refusing.
   */
  restoreChecked?: boolean;
}

export type ReuseWorktreeResult =
  | { kind: 'reset'; worktree: EngineWorktree; removed: string[] }
  /** Tracked files differ from the released commit (an attempt that ended mid-edit): not reused. */
  | { kind: 'changed'; paths: string[] }
  /** Git refused to move the files (it would have overwritten something): not reused. */
  | { kind: 'not-updated'; reason: string }
  | { kind: 'branch-exists' };

export async function reuseWorktree(params: ReuseWorktreeParams): Promise<ReuseWorktreeResult> {
  const { worktree } = params;
  await assertOwnedPath(worktree.path, params.ownedRoot, 'worktree');
  const released = worktree.detachedAt;
  if (released === undefined)
    throw new NocturnalError('runtime', `the pooled worktree ${worktree.path} was not released at a commit`);
  assertOid(released, 'released commit');
  assertOid(params.start, 'start commit');
  const call: RunGitOptions = {
    ...callOptions(params),
    pinned: {
      gitDir: worktree.gitDir,
      commonDir: worktree.commonDir,
      workTree: worktree.path,
      config: params.filterConfig,
    },
  };

  // The branch is created while the files are reset, side by side: `update-ref` writes only the
  // repository's refs, `status` and `read-tree` only this worktree and its own index. A reset that
  // does not end with the worktree ready takes the new branch back (compare-and-swap on the start
  // commit), so a worktree that is not reused leaves no branch behind.
  const branch = shortBranchName(params.branch);
  const ref = branchRef(branch);
  const [files, created] = await Promise.allSettled([
    resetFiles(params, released, call),
    updateRefCas({
      ...callOptions(params),
      repoPath: worktree.repoPath,
      ref,
      newOid: params.start,
      expectedOld: null,
      message: 'nocturnal: attempt branch',
    }),
  ]);
  if (created.status === 'rejected') throw created.reason;
  if (created.value.kind !== 'ok') return { kind: 'branch-exists' };
  if (files.status === 'rejected') {
    await takeBack(params, ref);
    throw files.reason;
  }
  if (files.value.kind !== 'reset') {
    await takeBack(params, ref);
    return files.value;
  }
  await writeRegularFile(path.join(worktree.gitDir, 'HEAD'), `ref: ${ref}\n`);
  const next: EngineWorktree = {
    repoPath: worktree.repoPath,
    path: worktree.path,
    gitDir: worktree.gitDir,
    commonDir: worktree.commonDir,
    branch,
  };
  return { kind: 'reset', worktree: next, removed: files.value.removed };
}

type FilesReset =
  { kind: 'reset'; removed: string[] } | Exclude<ReuseWorktreeResult, { kind: 'reset' | 'branch-exists' }>;

/** The worktree's files and index from the released commit to the start commit, nothing else left. */
async function resetFiles(params: ReuseWorktreeParams, released: string, call: RunGitOptions): Promise<FilesReset> {
  const { worktree } = params;
  // --ignored: build output and caches of the previous attempt go too; `normal` lists a whole
  // untracked folder once. Submodules ignored: a planted `.git` must not lead git into a folder.
  const status = await runGit(
    worktree.path,
    [
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=normal',
      '--ignored',
      '--no-renames',
      '--ignore-submodules=all',
    ],
    call,
  );
  const entries = status.stdout
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => ({ code: e.slice(0, 2), file: e.slice(3) }));
  const changed = entries.filter((e) => e.code !== '??' && e.code !== '!!').map((e) => e.file);
  if (changed.length > 0 && params.restoreChecked === true) {
    // What the check changed goes back to the released commit (HEAD is detached there), exactly as
    // the attempt would have restored it; then the reset starts over and must find nothing changed.
    await restoreWorktreeToHead({ ...callOptions(params), worktree, ownedRoot: params.ownedRoot });
    // The rewritten files' stat data no longer matches the index, and read-tree refuses to update a
    // file it sees as not up to date: refresh it (content compared; exit 1 only when one differs).
    await runGit(worktree.path, ['update-index', '-q', '--refresh'], { ...call, okExitCodes: [0, 1] });
    return resetFiles({ ...params, restoreChecked: false }, released, call);
  }
  if (changed.length > 0) return { kind: 'changed', paths: changed };
  const removed: string[] = [];
  for (const entry of entries) {
    // rm never follows a symlink: a link the previous attempt left loses the link, nothing else.
    await rm(inside(worktree.path, entry.file), { recursive: true, force: true });
    removed.push(entry.file);
  }

  const moved = await runGit(worktree.path, ['read-tree', '-m', '-u', released, params.start], {
    ...call,
    okExitCodes: [0, 128],
  });
  if (moved.exitCode !== 0) return { kind: 'not-updated', reason: moved.stderr.trim() };
  return { kind: 'reset', removed };
}

/** Deletes the branch this reset created, if it still points where it was made. */
async function takeBack(params: ReuseWorktreeParams, ref: string): Promise<void> {
  try {
    await deleteRefCas({
      ...callOptions(params),
      repoPath: params.worktree.repoPath,
      ref,
      expectedOld: params.start,
      message: 'nocturnal: attempt branch not used',
    });
  } catch {
    // Left for the session's branch cleanup: the reset's own outcome is what the caller needs.
  }
}

/**
 * Detaches a released worktree's HEAD at `commit`, so the attempt's branch is no longer checked out
 * anywhere (it can be deleted, or merged and deleted by the user, while the worktree waits).
 */
export async function detachWorktreeHead(worktree: EngineWorktree, commit: string): Promise<EngineWorktree> {
  assertOid(commit, 'commit');
  await writeRegularFile(path.join(worktree.gitDir, 'HEAD'), `${commit}\n`);
  return {
    repoPath: worktree.repoPath,
    path: worktree.path,
    gitDir: worktree.gitDir,
    commonDir: worktree.commonDir,
    branch: '',
    detachedAt: commit,
  };
}

function inside(root: string, file: string): string {
  const target = path.resolve(root, file);
  if (!isWithin(root, target) || target === root)
    throw new NocturnalError('runtime', `git reported a path outside the worktree: ${file}`);
  return target;
}
