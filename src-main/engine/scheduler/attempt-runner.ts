// One attempt at one task: the pipeline of DESIGN §4, read top to bottom as its stages —
// prepare → baseline → improve (each cycle evaluated) → land. Each stage records its evidence through
// the recorder; any failure ends the attempt with a reason a person can act on and never stops the
// session. The worktree is always removed (or released to the session's pool) at the end; the branch
// stays for attempts waiting for review.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Task, Workspace } from '../../../src-shared/domain/records';
import type { EngineWorktree } from '../git/engine-worktree';
import { isServerUnreachable } from '../llm/server-unreachable';
import { repositoryGoneReason } from '../quality/worktree-tamper';
import { cleanUpAttempt } from './attempt-cleanup';
import type { AttemptDeps } from './attempt-context';
import { AttemptRecorder } from './attempt/attempt-recorder';
import type { AttemptEnding, AttemptResult } from './attempt/attempt-recorder';
import type { AttemptRun } from './attempt/attempt-run';
import { briefOf } from './attempt/attempt-run';
import { baselineStage } from './attempt/baseline-stage';
import { improveStage } from './attempt/improve-stage';
import { landStage } from './attempt/land-stage';
import { prepareStage } from './attempt/prepare-stage';

export type { AttemptResult } from './attempt/attempt-recorder';

export class AttemptRunner {
  constructor(private readonly deps: AttemptDeps) {}

  async run(task: Task, sessionId: string): Promise<AttemptResult> {
    const { store, config, now } = this.deps;
    const workspace = store.workspaces.get(task.workspaceId);
    if (!workspace) throw new Error(`task ${task.id} refers to a missing workspace`);
    store.tasks.transition(task.id, 'running', now());
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId, branchPrefix: config.parallel.branch_prefix, targetBranch: workspace.targetBranch },
      now(),
    );
    const log = this.deps.log.child({ session_id: sessionId, task_id: task.id, attempt_id: attempt.id });
    const timeout = AbortSignal.timeout(config.scheduler.max_task_minutes * 60_000);
    const record = new AttemptRecorder(this.deps, task, attempt.id);
    const run: AttemptRun = {
      deps: this.deps,
      task,
      workspace,
      attempt,
      worktreeDir: path.join(this.deps.paths.worktrees, workspace.id, attempt.id),
      signal: timeout,
      record,
      brief: briefOf(task),
      interaction: { sessionId: attempt.sessionId, taskId: task.id, attemptId: attempt.id },
    };
    const made: { worktree: EngineWorktree | null } = { worktree: null };
    try {
      const outcome = record.finish(await this.pipeline(run, (worktree) => (made.worktree = worktree)));
      await this.writeNote(task, attempt.id, workspace, log);
      return outcome;
    } catch (error) {
      if (isServerUnreachable(error)) {
        // Not this task's failure: the attempt is interrupted, the task goes back to the queue and the
        // session stops with this reason (see SessionRunner).
        const why = error instanceof Error ? error.message : String(error);
        log.warn({ err: why }, 'model server unreachable: the attempt is interrupted and its task requeued');
        return record.interrupt(`the model server is unreachable: ${why}`);
      }
      const reason = timeout.aborted
        ? `stopped after scheduler.max_task_minutes (${config.scheduler.max_task_minutes} min)`
        : !existsSync(workspace.path)
          ? repositoryGoneReason(workspace.path)
          : error instanceof Error
            ? error.message
            : String(error);
      log.error({ err: reason }, 'attempt failed');
      const failed = record.finish({ status: 'failed', changes: { reasons: [reason] } });
      await this.writeNote(task, attempt.id, workspace, log);
      return failed;
    } finally {
      const ended = store.attempts.require(attempt.id);
      const worktree = made.worktree;
      await cleanUpAttempt({ git: this.deps.git, ownedRoot: this.deps.paths.worktrees, workspace, attempt: ended, worktreePath: worktree?.path ?? run.worktreeDir, worktree, log, now: now(), ...(this.deps.pool ? { pool: this.deps.pool } : {}) });
    }
  }

  /** The stages in order; each either hands the next one what it needs or says how the attempt ends. */
  private async pipeline(run: AttemptRun, markCreated: (worktree: EngineWorktree) => void): Promise<AttemptEnding> {
    const prepared = await prepareStage(run, markCreated);
    if ('end' in prepared) return prepared.end;
    const { ready, baseCommit, startNote } = prepared.next;
    // Where the attempt started leads its reasons (the last reason stays the one that decided it).
    const noted = (ending: AttemptEnding): AttemptEnding => ({ ...ending, changes: { ...ending.changes, reasons: [startNote, ...(ending.changes.reasons ?? [])] } });

    const baseline = await baselineStage(ready, baseCommit);
    if ('end' in baseline) return noted(baseline.end);

    const improved = await improveStage(ready, baseCommit, baseline.next);
    if ('end' in improved) return noted(improved.end);

    return noted(await landStage(ready, improved.next.breakdown, improved.next.reasons));
  }

  /** The attempt's note in the knowledge vault; a vault that cannot be written never fails the attempt. */
  private async writeNote(task: Task, attemptId: string, workspace: Workspace, log: AttemptDeps['log']): Promise<void> {
    try {
      await this.deps.knowledge.writeAttemptNote(this.deps.store.tasks.require(task.id), this.deps.store.attempts.require(attemptId), workspace);
    } catch (error) {
      log.warn({ err: String(error) }, 'could not write the attempt note to the knowledge vault');
    }
  }
}
