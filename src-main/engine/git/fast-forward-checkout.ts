// The one write the engine ever makes in a working tree it did not create (DESIGN §4 Workspace): when
// the branch to move is checked out there, fast-forward it with `git merge --ff-only` — and only if the
// tree is clean, no operation is in progress, and no incoming file would land on an ignored file the
// user has there (git treats ignored files as expendable and would silently overwrite them).
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { getWorktreeStatus } from './worktree-status';
import { isAncestor } from './is-ancestor';
import { resolveRef } from './resolve-ref';
import { createBackupRef } from './backup-ref';
import { GitError } from './git-error';
import { assertOid, branchRef, shortBranchName } from './refs';

export type HoldReason =
  | 'dirty-worktree'
  | 'operation-in-progress'
  | 'not-fast-forward'
  | 'would-overwrite-ignored'
  | 'branch-switched'
  | 'rebase-or-bisect'
  | 'unborn-checkout'
  | 'worktree-missing';

export interface Held {
  kind: 'held';
  reason: HoldReason;
  /** A sentence a person can act on. */
  detail: string;
  worktree: string;
}

export interface FastForwardCheckoutParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  branch: string;
  /** Must be a descendant of the branch's tip. */
  targetCommit: string;
  backupName: string;
  now?: Date;
}

export type FastForwardCheckoutResult = { kind: 'fast-forwarded'; previous: string; backupRef: string } | Held;

export async function fastForwardCheckout(params: FastForwardCheckoutParams): Promise<FastForwardCheckoutResult> {
  const call = callOptions(params);
  assertOid(params.targetCommit, 'target commit');
  const worktree = params.worktreePath;
  const name = shortBranchName(params.branch);
  const held = (reason: HoldReason, detail: string): Held => ({ kind: 'held', reason, detail, worktree });

  // Git still counts a branch as checked out in a worktree whose directory is gone (an unmounted disk);
  // its owner may come back to it, so the branch is not ours to move.
  if ((await lstat(worktree).catch(() => null)) === null) {
    return held('worktree-missing', `${name} is checked out in ${worktree}, which is not reachable right now`);
  }
  const status = await getWorktreeStatus(worktree, call);
  if (status.operation !== null) {
    return held(
      'operation-in-progress',
      `a ${status.operation} is in progress in ${worktree}; finish or abort it first`,
    );
  }
  if (status.entries.length > 0) {
    const sample = status.entries
      .slice(0, 3)
      .map((e) => e.path)
      .join(', ');
    return held(
      'dirty-worktree',
      `${worktree} has ${status.entries.length} uncommitted or untracked change(s) (${sample}); commit or stash them first`,
    );
  }
  // The user may have switched branches since the caller looked.
  const head = await runGit(worktree, ['symbolic-ref', '-q', 'HEAD'], { ...call, okExitCodes: [0, 1] });
  if (head.stdout.trim() !== branchRef(name)) {
    return held('branch-switched', `${worktree} no longer has ${name} checked out`);
  }
  const tip = await resolveRef(params.repoPath, branchRef(name), call);
  if (tip === null) return held('unborn-checkout', `${name} has no commits yet in ${worktree}`);
  if (!(await isAncestor(params.repoPath, tip, params.targetCommit, call))) {
    return held(
      'not-fast-forward',
      `${name} has commits that the change does not contain; it needs a merge, which is never done in your checkout`,
    );
  }
  const shadowed = await ignoredFilesInTheWay(params.repoPath, worktree, tip, params.targetCommit, call);
  if (shadowed.length > 0) {
    return held(
      'would-overwrite-ignored',
      `the change adds ${shadowed.slice(0, 3).join(', ')}, which already exist(s) untracked in ${worktree}`,
    );
  }

  const backupRef = await createBackupRef({
    ...call,
    repoPath: params.repoPath,
    name: params.backupName,
    oid: tip,
    now: params.now,
  });
  // --no-autostash: never stash in the user's tree even if their config says so (it is clean anyway).
  // The user's own configuration for the one write in their checkout: their filters (Git LFS) must
  // produce the files their git would.
  await runGit(worktree, ['merge', '--ff-only', '--no-autostash', '--no-stat', '--quiet', params.targetCommit], {
    ...call,
    userConfig: true,
  });
  const after = await resolveRef(params.repoPath, branchRef(name), call);
  if (after !== params.targetCommit) {
    throw new GitError({
      args: ['merge', '--ff-only', params.targetCommit],
      cwd: worktree,
      exitCode: 0,
      stderr: '',
      message: `fast-forward of ${name} in ${worktree} ended at ${after ?? 'nothing'}, not ${params.targetCommit}`,
    });
  }
  return { kind: 'fast-forwarded', previous: tip, backupRef };
}

/** Paths the fast-forward would create where something (ignored, so invisible to status) already is. */
async function ignoredFilesInTheWay(
  repoPath: string,
  worktree: string,
  from: string,
  to: string,
  call: GitCallOptions,
): Promise<string[]> {
  const { stdout } = await runGit(
    repoPath,
    ['diff', '--name-only', '-z', '--no-renames', '--diff-filter=AT', '--no-ext-diff', '--no-relative', from, to, '--'],
    call,
  );
  const inTheWay: string[] = [];
  for (const file of stdout.split('\0')) {
    if (file === '') continue;
    const parts = file.split('/');
    // A file where an incoming directory should be is in the way, as is anything at the path itself.
    for (let depth = 1; depth <= parts.length; depth++) {
      const candidate = path.join(worktree, ...parts.slice(0, depth));
      const stats = await lstat(candidate).catch(() => null);
      if (stats === null) break;
      const last = depth === parts.length;
      if (last || !stats.isDirectory()) {
        // The last component exists: for a type change (T) it is the tracked old version, fine.
        if (last && (await isTracked(worktree, file, call))) break;
        inTheWay.push(file);
        break;
      }
    }
  }
  return inTheWay;
}

async function isTracked(worktree: string, file: string, call: GitCallOptions): Promise<boolean> {
  const result = await runGit(worktree, ['ls-files', '--error-unmatch', '--', file], {
    ...call,
    okExitCodes: [0, 1],
    env: { GIT_LITERAL_PATHSPECS: '1' },
  });
  return result.exitCode === 0;
}
