// A pool of attempt worktrees per workspace, for one session. Making a fresh worktree for every
// attempt and deleting it afterwards costs a full checkout and a full delete each time (hundreds of
// milliseconds on a 10k-file repository, and on ext4 attempts grow slower after thousands of deletes);
// a pooled worktree is reset instead, touching only the files that differ.
//
// The trust rules do not loosen: a released worktree is reused only when its wiring still matches the
// seal taken when git made it (verifyPooledWorktree: `.git` file, admin folder, config.worktree, the
// repository's config, attributes and hooks, no planted `.git` anywhere) and its tracked files are
// exactly the commit it was released at — or, for an attempt that ended right after a check and left
// its restore to the pool, are put back to it first (ReleaseOptions). Anything else and it is removed,
// never reused. All git
// commands stay pinned to the recorded git dir. At most `parallel.max_parallel_attempts` idle
// worktrees are kept per workspace; the session removes them all when it ends, and crash recovery
// removes what a killed session's pool left (session-recovery: nothing under the engine's worktree
// root belongs to live work while the engine lock is held).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Workspace } from '../../../src-shared/domain/records';
import type { EngineWorktree } from '../git/engine-worktree';
import { pinnedGit } from '../git/engine-worktree';
import { isOid } from '../git/refs';
import type { GitCallOptions } from '../git/run-git';
import { addWorktree } from '../git/worktree-add';
import type { AddWorktreeResult } from '../git/worktree-add';
import { sealPooledWorktree, verifyPooledWorktree } from '../git/worktree-integrity';
import type { PooledWorktreeSeal } from '../git/worktree-integrity';
import { removeWorktree } from '../git/worktree-remove';
import { detachWorktreeHead, reuseWorktree } from '../git/worktree-reuse';
import type { ReuseWorktreeResult } from '../git/worktree-reuse';
import type { Logger } from '../log/logger';

export interface WorktreePoolOptions {
  git: GitCallOptions;
  /** The engine's worktree root (`<home>/worktrees`); pooled worktrees live in `<root>/<workspace id>/pool-*`. */
  ownedRoot: string;
  /** Idle worktrees kept per workspace (`parallel.max_parallel_attempts`). */
  size: number;
  log: Logger;
}

export type AcquireResult =
  { kind: 'ready'; worktree: EngineWorktree; reused: boolean } | Exclude<AddWorktreeResult, { kind: 'created' }>;

interface Pooled {
  workspace: Workspace;
  worktree: EngineWorktree;
  seal: PooledWorktreeSeal;
  /** The filter drivers to switch off, read when the worktree was made; the seal covers the config. */
  filterConfig: readonly string[];
  /** Released straight after a check whose restore it left to the reuse (ReleaseOptions). */
  checkedSinceRestore: boolean;
}

export interface ReleaseOptions {
  /**
   * The attempt ended right after a check that passed the integrity check, without putting the files
   * back: the reuse restores what that check changed in tracked files, as the attempt's own restore
   * would have (worktree-restore), instead of discarding the worktree. Without it a tracked change
   * means an attempt that ended mid-edit, and the worktree is not reused.
   */
  checkedSinceRestore?: boolean;
}

export class WorktreePool {
  private readonly idle = new Map<string, Pooled[]>();
  private readonly busy = new Map<string, Pooled>();
  /** Releases under way per workspace id: slots of the pool already promised. */
  private readonly releasing = new Map<string, number>();
  /**
   * The last worktree add or remove per repository. git's `worktree add` and `remove` read every
   * other worktree's admin folder, and one that another `add` is still writing fails them ("failed to
   * read .git/worktrees/…/commondir"): parallel attempts make and remove their worktrees one at a time.
   */
  private readonly worktreeChanges = new Map<string, Promise<void>>();

  constructor(private readonly options: WorktreePoolOptions) {}

  /** A worktree on a new `branch` at `start`: a verified pooled one reset, or a fresh one. */
  async acquire(workspace: Workspace, branch: string, start: string): Promise<AcquireResult> {
    const { git, ownedRoot, log } = this.options;
    const waiting = this.idle.get(workspace.id) ?? [];
    for (let entry = waiting.pop(); entry !== undefined; entry = waiting.pop()) {
      const verdict = await verifyPooledWorktree(entry.worktree, entry.seal);
      if (verdict.kind !== 'intact') {
        log.warn(
          { worktree: entry.worktree.path, findings: verdict.kind === 'tampered' ? verdict.findings : [verdict.kind] },
          'a pooled worktree was tampered with: removed, not reused',
        );
        await this.remove(entry);
        continue;
      }
      const reset = await this.reset(entry, branch, start);
      if (reset.kind === 'reset') {
        const next = { ...entry, worktree: reset.worktree, checkedSinceRestore: false };
        this.busy.set(reset.worktree.path, next);
        return { kind: 'ready', worktree: reset.worktree, reused: true };
      }
      log.warn(
        { worktree: entry.worktree.path, outcome: reset.kind },
        'a pooled worktree could not be reset: removed, not reused',
      );
      await this.remove(entry);
      if (reset.kind === 'branch-exists') return { kind: 'branch-exists' };
    }

    const worktreePath = path.join(ownedRoot, workspace.id, `pool-${randomBytes(4).toString('hex')}`);
    const added = await this.oneAtATime(workspace.path, () =>
      addWorktree({ ...git, repoPath: workspace.path, worktreePath, ownedRoot, branch, base: start }),
    );
    if (added.kind !== 'created') return added;
    // Sealed before anything has run in it: every later reuse is compared with this.
    const [seal, pinned] = await Promise.all([sealPooledWorktree(added.worktree), pinnedGit(added.worktree, git)]);
    this.busy.set(added.worktree.path, {
      workspace,
      worktree: added.worktree,
      seal,
      filterConfig: pinned.pinned?.config ?? [],
      checkedSinceRestore: false,
    });
    return { kind: 'ready', worktree: added.worktree, reused: false };
  }

  /**
   * The attempt is over: its worktree waits, detached at `head` (the attempt's last commit as the
   * engine recorded it), for the next attempt — or is removed when the pool is full, the repository
   * is gone, or the worktree is not one of the pool's.
   */
  async release(
    worktree: EngineWorktree,
    head: string | null,
    options: ReleaseOptions = {},
  ): Promise<'pooled' | 'removed'> {
    const entry = this.busy.get(worktree.path);
    this.busy.delete(worktree.path);
    if (entry === undefined) {
      throw new Error(`${worktree.path} is not a worktree of this pool`);
    }
    const id = entry.workspace.id;
    // Parallel attempts of one task release together: the list and the slots they take are settled
    // before the first await, so no release overwrites another's list or overfills the pool.
    const waiting = this.waitingList(id);
    const releasing = this.releasing.get(id) ?? 0;
    if (
      head === null ||
      !isOid(head) ||
      waiting.length + releasing >= this.options.size ||
      !existsSync(entry.workspace.path)
    ) {
      await this.remove(entry);
      return 'removed';
    }
    this.releasing.set(id, releasing + 1);
    try {
      // The branch is no longer checked out here, so cleanup may delete it and the user may too.
      const detached = await detachWorktreeHead(entry.worktree, head);
      this.waitingList(id).push({
        ...entry,
        worktree: detached,
        checkedSinceRestore: options.checkedSinceRestore === true,
      });
      return 'pooled';
    } catch (error) {
      // A HEAD that is not a plain file any more: something replaced it; the worktree goes.
      this.options.log.warn(
        { worktree: worktree.path, err: String(error) },
        'could not detach a released worktree: removed',
      );
      await this.remove(entry);
      return 'removed';
    } finally {
      this.releasing.set(id, (this.releasing.get(id) ?? 1) - 1);
    }
  }

  private waitingList(workspaceId: string): Pooled[] {
    let waiting = this.idle.get(workspaceId);
    if (waiting === undefined) {
      waiting = [];
      this.idle.set(workspaceId, waiting);
    }
    return waiting;
  }

  /** A git failure while resetting takes the worktree out of the pool before it is reported. */
  private async reset(entry: Pooled, branch: string, start: string): Promise<ReuseWorktreeResult> {
    const { git, ownedRoot } = this.options;
    try {
      return await reuseWorktree({
        ...git,
        worktree: entry.worktree,
        ownedRoot,
        branch,
        start,
        filterConfig: entry.filterConfig,
        restoreChecked: entry.checkedSinceRestore,
      });
    } catch (error) {
      await this.remove(entry);
      throw error;
    }
  }

  /** Idle worktrees per workspace id (for status and tests). */
  idleCount(workspaceId: string): number {
    return this.idle.get(workspaceId)?.length ?? 0;
  }

  /** Session end: every idle worktree is removed (busy ones are released by their attempts first). */
  async drain(): Promise<void> {
    for (const [id, waiting] of this.idle) {
      for (const entry of waiting) await this.remove(entry);
      this.idle.delete(id);
    }
  }

  /** `work` after the repository's previous worktree add or remove has ended, however it ended. */
  private oneAtATime<T>(repoPath: string, work: () => Promise<T>): Promise<T> {
    const previous = this.worktreeChanges.get(repoPath) ?? Promise.resolve();
    const mine = previous.then(work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.worktreeChanges.set(repoPath, settled);
    void settled.then(() => {
      if (this.worktreeChanges.get(repoPath) === settled) this.worktreeChanges.delete(repoPath);
    });
    return mine;
  }

  private async remove(entry: Pooled): Promise<void> {
    const { git, ownedRoot, log } = this.options;
    try {
      await this.oneAtATime(entry.workspace.path, () =>
        removeWorktree({
          ...git,
          repoPath: entry.workspace.path,
          worktreePath: entry.worktree.path,
          ownedRoot,
          gitDir: entry.worktree.gitDir,
        }),
      );
    } catch (error) {
      log.warn(
        { worktree: entry.worktree.path, err: String(error) },
        'could not remove a pooled worktree; crash recovery removes it next time',
      );
    }
  }
}
