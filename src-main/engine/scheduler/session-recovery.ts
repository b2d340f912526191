// What a session killed mid-work (power loss, kill -9) leaves behind, put right before the next one
// starts. Runs under the engine lock, so nothing else is working: every `running` row is a leftover.
//  - an attempt whose change already landed on the target (the crash came between the ref move and the
//    store write) is recorded as merged, never run again — that would merge the same change twice;
//  - any other running attempt is `interrupted` and its task queued again;
//  - a task left `running` without a running attempt (the crash came before the attempt was recorded)
//    is queued again;
//  - every worktree under <home>/worktrees is removed: none belongs to live work. That includes the
//    worktree pool of the session that died (scheduler/worktree-pool): a pool lives in its session's
//    memory only, is drained when the session ends, and a pooled worktree without its session has no
//    seal left to verify it against, so it is removed rather than adopted. Branches are not touched.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Attempt } from '../../../src-shared/domain/records';
import type { HomePaths } from '../config/home';
import { findLandedCommit } from '../git/find-landed-commit';
import { listWorktrees } from '../git/list-worktrees';
import { assertOwnedPath, isStrictlyInside } from '../git/owned-path';
import type { GitCallOptions } from '../git/run-git';
import { removeWorktree } from '../git/worktree-remove';
import type { Logger } from '../log/logger';
import type { Store } from '../store/store';

export interface RecoveryDeps {
  store: Store;
  git: GitCallOptions;
  paths: HomePaths;
  log: Logger;
  now: () => Date;
}

export interface RecoveryResult {
  /** Sessions left `running` by a dead process, now closed as stopped. */
  sessions: string[];
  /** Attempts that were running, now `interrupted` (their tasks queued again). */
  attempts: string[];
  /** Attempts whose merge had landed before the crash, now recorded as merged. */
  merged: string[];
}

export async function recoverCrashedWork(deps: RecoveryDeps): Promise<RecoveryResult> {
  const { store, now, log } = deps;
  const result: RecoveryResult = { sessions: [], attempts: [], merged: [] };
  const orphans = store.sessions.closeOrphans('the process running it stopped unexpectedly', now());
  if (orphans.length > 0) log.warn({ sessions: orphans }, 'closed sessions left running by a crashed process');
  result.sessions = orphans;

  for (const attempt of store.attempts.withStatus('running')) {
    const task = store.tasks.get(attempt.taskId);
    const workspace = task ? store.workspaces.get(task.workspaceId) : undefined;
    const landed = task && workspace ? await landedBeforeCrash(deps, attempt, workspace.path) : null;
    if (task && landed) {
      const reason = `recovered after a crash: the merge into ${attempt.targetBranch} had landed as ${landed.commit.slice(0, 12)} before the engine stopped; recorded as merged, not run again`;
      store.db.transaction(() => {
        store.attempts.transition(attempt.id, 'merged', now(), {
          decision: 'merge',
          mergedCommit: landed.commit,
          backupRef: landed.backupRef,
          reasons: [...attempt.reasons, reason],
        });
        if (store.tasks.require(task.id).status === 'running')
          store.tasks.transition(task.id, 'merged', now(), { reason });
        store.interactions.recordApproval(attempt.id, 'auto-approved', reason);
        store.events.append(
          {
            sessionId: attempt.sessionId,
            taskId: task.id,
            attemptId: attempt.id,
            type: 'attempt-recovered-merged',
            message: reason,
            data: landed,
          },
          now(),
        );
      })();
      log.warn(
        { attempt_id: attempt.id, commit: landed.commit },
        'a crashed attempt had already merged: recorded as merged',
      );
      result.merged.push(attempt.id);
    } else {
      store.db.transaction(() => {
        store.attempts.transition(attempt.id, 'interrupted', now(), {
          reasons: [...attempt.reasons, 'interrupted: the session running it stopped'],
        });
        if (task && store.tasks.require(task.id).status === 'running')
          store.tasks.transition(task.id, 'queued', now(), { reason: 'requeued after an interrupted session' });
      })();
      result.attempts.push(attempt.id);
    }
  }
  for (const task of store.tasks.list({ status: 'running' })) {
    store.tasks.transition(task.id, 'queued', now(), { reason: 'requeued after an interrupted session' });
  }
  await removeLeftoverWorktrees(deps);
  return result;
}

/** Whether a crashed attempt's own commit is already on its target (see git/find-landed-commit.ts). */
async function landedBeforeCrash(
  deps: RecoveryDeps,
  attempt: Attempt,
  repoPath: string,
): Promise<{ commit: string; backupRef: string | null } | null> {
  // Until the attempt commits, its head is the base commit, which the target may well contain.
  if (!attempt.headCommit || attempt.headCommit === attempt.baseCommit) return null;
  try {
    const found = await findLandedCommit({
      ...deps.git,
      repoPath,
      targetBranch: attempt.targetBranch,
      headCommit: attempt.headCommit,
      backupName: attempt.id,
    });
    return found.kind === 'landed' ? found : null;
  } catch (error) {
    deps.log.warn(
      { attempt_id: attempt.id, err: String(error) },
      'could not tell whether a crashed attempt had merged; requeueing it',
    );
    return null;
  }
}

/**
 * Worktrees of the engine's own root, registered or not: a crash can come before the attempt recorded
 * its worktree path, or in the middle of `git worktree add`. Only paths inside <home>/worktrees are
 * touched; registered ones go through `git worktree remove`, bare directories left by a half-finished
 * add are deleted.
 */
async function removeLeftoverWorktrees(deps: RecoveryDeps): Promise<void> {
  const root = deps.paths.worktrees;
  // Each leftover on its own: one that cannot be removed is logged and the others still go.
  const tryRemove = async (workspace: string, leftover: string, remove: () => Promise<unknown>) => {
    try {
      await remove();
    } catch (error) {
      deps.log.warn(
        { workspace, worktree: leftover, err: String(error) },
        'could not remove a worktree a crashed session left',
      );
    }
  };
  for (const workspace of deps.store.workspaces.list()) {
    let registered: Awaited<ReturnType<typeof listWorktrees>> = [];
    try {
      registered = await listWorktrees(workspace.path, deps.git);
    } catch (error) {
      deps.log.warn(
        { workspace: workspace.name, err: String(error) },
        'could not list the worktrees a crashed session left',
      );
    }
    for (const entry of registered.filter((w) => !w.isMain)) {
      await tryRemove(workspace.name, entry.path, async () => {
        if (await isStrictlyInside(entry.path, root))
          await removeWorktree({ ...deps.git, repoPath: workspace.path, worktreePath: entry.path, ownedRoot: root });
      });
    }
    const folder = path.join(root, workspace.id);
    const names = await fs.readdir(folder).catch(() => [] as string[]);
    for (const name of names) {
      const leftover = path.join(folder, name);
      await tryRemove(workspace.name, leftover, async () => {
        await assertOwnedPath(leftover, root, 'worktree');
        await fs.rm(leftover, { recursive: true, force: true });
      });
    }
  }
}
