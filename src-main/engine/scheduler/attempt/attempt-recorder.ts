// The one place an attempt's pipeline writes to the store and reports progress: stages say what
// happened, the recorder turns it into attempt updates, the final task/attempt transitions, the
// auto-approval record and the progress events the CLI and the app show.
import type { Attempt, Task } from '../../../../src-shared/domain/records';
import type { AttemptUpdate } from '../../store/attempts-repo';
import type { AttemptDeps, AttemptStage } from '../attempt-context';

export type AttemptResult = Pick<Attempt, 'id' | 'status' | 'score' | 'decision' | 'reasons'>;
export type FinalStatus = 'merged' | 'review' | 'rejected' | 'failed';

/** How a stage ends the attempt: the final status and what to store with it. */
export interface AttemptEnding {
  status: FinalStatus;
  changes: AttemptUpdate;
}

export function ending(status: FinalStatus, changes: AttemptUpdate): AttemptEnding {
  return { status, changes };
}

export class AttemptRecorder {
  constructor(
    private readonly deps: Pick<AttemptDeps, 'store' | 'now' | 'onProgress'>,
    private readonly task: Task,
    readonly attemptId: string,
  ) {}

  progress(stage: AttemptStage, cycle: number, message: string): void {
    this.deps.onProgress?.({ attemptId: this.attemptId, taskId: this.task.id, stage, cycle, message });
  }

  update(changes: AttemptUpdate): void {
    this.deps.store.attempts.write(this.attemptId, changes);
  }

  attempt(): Attempt {
    return this.deps.store.attempts.require(this.attemptId);
  }

  /**
   * The attempt could not go on for a reason outside the task: interrupted, and the task queued again.
   * `task: false` leaves the task alone: a parallel sibling's result decides it (scheduler/parallel).
   */
  interrupt(reason: string, options: { task: boolean } = { task: true }): AttemptResult {
    const { store, now } = this.deps;
    // One transaction, as in finish: the attempt and its task never disagree after a crash.
    const attempt = store.db.transaction(() => {
      const current = store.attempts.require(this.attemptId);
      const ended = store.attempts.transition(this.attemptId, 'interrupted', now(), {
        reasons: [...current.reasons, reason],
      });
      if (options.task) store.tasks.transition(this.task.id, 'queued', now(), { reason: `requeued: ${reason}` });
      return ended;
    })();
    this.progress('done', attempt.cycles, `interrupted: ${reason}`);
    return {
      id: attempt.id,
      status: attempt.status,
      score: attempt.score,
      decision: attempt.decision,
      reasons: attempt.reasons,
    };
  }

  /** Ends the attempt and, unless `task: false` (a parallel attempt that lost), its task with it. */
  finish(end: AttemptEnding, options: { task: boolean } = { task: true }): AttemptResult {
    const { store, now } = this.deps;
    const { status } = end;
    // One transaction: a crash can never leave the attempt finished and its task still `running`.
    const attempt = store.db.transaction(() => {
      const ended = store.attempts.transition(this.attemptId, status, now(), end.changes);
      if (options.task) store.tasks.move(this.task.id, status, now(), { reason: ended.reasons.at(-1) ?? null });
      if (status === 'merged')
        store.interactions.recordApproval(this.attemptId, 'auto-approved', ended.reasons.at(-1) ?? null);
      if (status === 'rejected')
        store.interactions.recordApproval(this.attemptId, 'auto-rejected', ended.reasons.at(-1) ?? null);
      return ended;
    })();
    this.progress(
      'done',
      attempt.cycles,
      `${status}${attempt.score !== null ? ` (score ${attempt.score.toFixed(2)})` : ''}`,
    );
    return {
      id: attempt.id,
      status: attempt.status,
      score: attempt.score,
      decision: attempt.decision,
      reasons: attempt.reasons,
    };
  }
}
