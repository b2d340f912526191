// What every attempt leaves behind, tidied when it ends: its worktree goes back to the session's pool
// (./worktree-pool, which verifies it before any reuse) or, without a pool, is removed (also when its
// checks tampered with the worktree's links, and also when the repository itself was deleted
// meanwhile), and the branch of an attempt that will never be merged — rejected or failed — is
// deleted from the user's repository, so that `git branch` does not fill up with them night after
// night. Deleting goes through the usual backup ref (`refs/nocturnal/backups/<attempt id>/<stamp>`,
// hidden from `git branch`), which keeps the attempt's commits reachable until
// `safety.backup_retention_days` prunes it. Branches of attempts waiting for review stay.
import { existsSync } from 'node:fs';
import type { Attempt, Workspace } from '../../../src-shared/domain/records';
import { deleteBranch } from '../git/branch-delete';
import type { EngineWorktree } from '../git/engine-worktree';
import type { GitCallOptions } from '../git/run-git';
import { removeWorktree } from '../git/worktree-remove';
import type { Logger } from '../log/logger';
import type { WorktreePool } from './worktree-pool';

export interface AttemptCleanup {
  git: GitCallOptions;
  ownedRoot: string;
  workspace: Workspace;
  attempt: Attempt;
  worktreePath: string;
  /** As recorded at creation; null when the attempt ended before its worktree existed. */
  worktree: EngineWorktree | null;
  /** The attempt ended right after a check that passed the integrity check, its restore left to the pool. */
  checkedSinceRestore?: boolean;
  log: Logger;
  now: Date;
  pool?: WorktreePool;
}

export async function cleanUpAttempt(params: AttemptCleanup): Promise<void> {
  const { git, workspace, attempt, log } = params;
  try {
    if (params.pool && params.worktree) {
      // Released before the branch is deleted: a pooled worktree waits detached, not on the branch.
      await params.pool.release(params.worktree, attempt.headCommit, {
        checkedSinceRestore: params.checkedSinceRestore === true,
      });
    } else {
      await removeAttemptWorktree(params);
    }
  } catch (error) {
    log.warn({ err: String(error) }, 'could not remove the attempt worktree');
  }
  if ((attempt.status !== 'rejected' && attempt.status !== 'failed') || !existsSync(workspace.path)) return;
  try {
    const dropped = await deleteBranch({
      ...git,
      repoPath: workspace.path,
      branch: attempt.branch,
      backupName: attempt.id,
      now: params.now,
    });
    if (dropped.kind === 'deleted')
      log.info(
        { branch: attempt.branch, backupRef: dropped.backupRef },
        'deleted the branch of a closed attempt; its commits stay reachable through the backup ref',
      );
    else if (dropped.kind !== 'not-found')
      log.warn({ branch: attempt.branch, outcome: dropped.kind }, 'could not delete the branch of a closed attempt');
  } catch (error) {
    log.warn({ err: String(error), branch: attempt.branch }, 'could not delete the branch of a closed attempt');
  }
}

async function removeAttemptWorktree(params: AttemptCleanup): Promise<void> {
  const removed = await removeWorktree({
    ...params.git,
    repoPath: params.workspace.path,
    worktreePath: params.worktreePath,
    ownedRoot: params.ownedRoot,
    ...(params.worktree ? { gitDir: params.worktree.gitDir } : {}),
  });
  if (removed.kind === 'not-registered')
    params.log.warn(
      { worktree: params.worktreePath },
      'the attempt folder is not a registered worktree; left in place',
    );
}
