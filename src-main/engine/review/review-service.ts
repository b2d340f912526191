// The morning's decisions: approve (merge), reject, retry and undo. Each refuses, with the reason,
// anything that is not in a state where the action makes sense — an attempt is merged once at most.
import type { Attempt, Task } from '../../../src-shared/domain/records';
import { reviewNoteSchema } from '../../../src-shared/domain/text-fields';
import type { ReviewItem } from '../../../src-shared/domain/review';
import { reviewItemOf } from './review-item';
import { NocturnalError } from '../errors/nocturnal-error';
import { parseInput } from '../errors/parse-input';
import { deleteBranch } from '../git/branch-delete';
import { undoIntegration } from '../git/undo-integration';
import { landAttempt } from '../integration/land-attempt';
import type { GitCallOptions } from '../git/run-git';
import type { Store } from '../store/store';

export type { ReviewItem };

export class ReviewService {
  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
    private readonly git: GitCallOptions,
  ) {}

  list(): ReviewItem[] {
    return this.store.attempts
      .withStatus('review')
      .map((attempt) => reviewItemOf(this.store.tasks.require(attempt.taskId), attempt));
  }

  async approve(attemptId: string): Promise<{ attempt: Attempt; note: string }> {
    const { attempt, task } = this.waiting(attemptId, 'approve');
    const workspace = this.store.workspaces.get(task.workspaceId);
    if (!workspace) throw new NocturnalError('runtime', `the workspace of task ${task.id} was removed`);
    const landed = await landAttempt(workspace, task, attempt, this.now(), this.git);
    if (landed.kind === 'not-merged')
      throw new NocturnalError('conflict', `cannot approve ${attemptId}: ${landed.reason}`);
    const merged = this.store.attempts.transition(attemptId, 'merged', this.now(), {
      mergedCommit: landed.commit,
      backupRef: landed.backupRef,
      reasons: [...attempt.reasons, `approved by the user: ${landed.note}`],
    });
    this.store.tasks.transition(task.id, 'merged', this.now(), { reason: 'approved by the user' });
    this.store.interactions.recordApproval(attemptId, 'approved', 'approved by the user');
    return { attempt: merged, note: landed.note };
  }

  async reject(attemptId: string, rawNote?: string): Promise<Attempt> {
    const note = rawNote === undefined ? undefined : parseInput(reviewNoteSchema, rawNote, '--note') || undefined;
    const { attempt, task } = this.waiting(attemptId, 'reject');
    const reason = note ? `rejected by the user: ${note}` : 'rejected by the user';
    const rejected = this.store.attempts.transition(attemptId, 'rejected', this.now(), {
      reviewNote: note ?? null,
      reasons: [...attempt.reasons, reason],
    });
    this.store.tasks.transition(task.id, 'rejected', this.now(), { reason });
    this.store.interactions.recordApproval(attemptId, 'rejected', note ?? null);
    await this.dropBranch(task, attempt);
    return rejected;
  }

  /** Puts a task back in the queue; a note goes into the next attempt's prompt. */
  async retry(taskId: string, rawNote?: string): Promise<Task> {
    const note = rawNote === undefined ? undefined : parseInput(reviewNoteSchema, rawNote, '--note') || undefined;
    const task = this.store.tasks.require(taskId);
    if (task.status === 'review') {
      const waiting = task.attempts.filter((a) => a.status === 'review');
      for (const attempt of waiting) await this.reject(attempt.id, note ?? 'retry requested');
    } else if (task.status !== 'rejected' && task.status !== 'failed') {
      const hint = task.status === 'merged' ? ' (to try a merged task again, `nocturnal undo` its attempt first)' : '';
      throw new NocturnalError(
        'conflict',
        `task ${taskId} is ${task.status}; only failed, rejected, undone or waiting tasks can be retried${hint}`,
      );
    }
    return this.store.tasks.transition(taskId, 'queued', this.now(), {
      reason: 'queued again for retry',
      retryNote: note ?? null,
    });
  }

  /** Takes a merged change back off the target: ref restored if nothing came after, else a revert commit. */
  async undo(attemptId: string): Promise<{ note: string }> {
    const attempt = this.store.attempts.require(attemptId);
    if (attempt.status !== 'merged' || !attempt.mergedCommit)
      throw new NocturnalError(
        'conflict',
        `attempt ${attemptId} is ${attempt.status}; only merged attempts can be undone`,
      );
    if (!attempt.backupRef)
      throw new NocturnalError(
        'conflict',
        `attempt ${attemptId} has no backup ref (the target already contained it); nothing to undo`,
      );
    const task = this.store.tasks.require(attempt.taskId);
    const workspace = this.store.workspaces.get(task.workspaceId);
    if (!workspace) throw new NocturnalError('runtime', `the workspace of task ${task.id} was removed`);
    const result = await undoIntegration({
      ...this.git,
      repoPath: workspace.path,
      targetBranch: attempt.targetBranch,
      mergedCommit: attempt.mergedCommit,
      backupRef: attempt.backupRef,
      backupName: `${attempt.id}-undo`,
      now: this.now(),
    });
    let note: string;
    switch (result.kind) {
      case 'rewound':
        note = `${attempt.targetBranch} moved back to ${result.to.slice(0, 12)} (backup of the undone tip: ${result.backupRef})`;
        break;
      case 'reverted':
        note = `revert commit ${result.commit.slice(0, 12)} created on ${attempt.targetBranch}: later work stays, this change is taken out`;
        break;
      case 'already-undone':
        note = `${attempt.targetBranch} no longer contains this change`;
        break;
      case 'not-undoable':
      case 'held':
        throw new NocturnalError('conflict', `cannot undo ${attemptId}: ${result.detail}`);
      case 'conflict':
        throw new NocturnalError(
          'conflict',
          `cannot undo ${attemptId}: later commits changed the same lines (${result.paths.join(', ')})`,
        );
      case 'raced':
        throw new NocturnalError(
          'conflict',
          `cannot undo ${attemptId}: ${attempt.targetBranch} moved meanwhile; try again`,
        );
    }
    // The attempt ends `undone` and its task `rejected` (reason "undone"), so `retry` can queue it
    // again; both in one transaction, so a crash cannot leave one without the other.
    this.store.db.transaction(() => {
      this.store.attempts.transition(attemptId, 'undone', this.now(), {
        reasons: [...attempt.reasons, `undone by the user: ${note}`],
      });
      if (this.store.tasks.require(task.id).status === 'merged')
        this.store.tasks.transition(task.id, 'rejected', this.now(), { reason: 'undone' });
      this.store.events.append(
        {
          sessionId: attempt.sessionId,
          taskId: task.id,
          attemptId,
          type: 'attempt-undone',
          message: note,
          data: result,
        },
        this.now(),
      );
    })();
    return { note };
  }

  private waiting(attemptId: string, action: string): { attempt: Attempt; task: Task } {
    const attempt = this.store.attempts.require(attemptId);
    if (attempt.status !== 'review')
      throw new NocturnalError(
        'conflict',
        `cannot ${action} ${attemptId}: it is ${attempt.status}, not waiting for review`,
      );
    return { attempt, task: this.store.tasks.require(attempt.taskId) };
  }

  private async dropBranch(task: Task, attempt: Attempt): Promise<void> {
    const workspace = this.store.workspaces.get(task.workspaceId);
    if (!workspace) return;
    await deleteBranch({
      ...this.git,
      repoPath: workspace.path,
      branch: attempt.branch,
      backupName: attempt.id,
      now: this.now(),
    });
  }
}
