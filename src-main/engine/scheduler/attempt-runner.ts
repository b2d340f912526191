// One attempt at one task: the pipeline of DESIGN §4, read top to bottom as its stages —
// prepare → baseline → improve (each cycle evaluated) → land. Each stage records its evidence through
// the recorder; any failure ends the attempt with a reason a person can act on and never stops the
// session. The worktree is always removed (or released to the session's pool) at the end; the branch
// stays for attempts waiting for review.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ScoreBreakdown } from '../../../src-shared/domain/attempt';
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
import type { Verdict } from './parallel/contest';
import type { Sibling } from './parallel/sibling';
import { candidateOf, lostEnding, withWinnerNote } from './parallel/sibling';

export type { AttemptResult } from './attempt/attempt-recorder';

/** How the pipeline stands before landing: an ending of its own, or a change ready to land. */
type Staged =
  | { end: AttemptEnding }
  | { land: (note?: string) => Promise<AttemptEnding>; breakdown: ScoreBreakdown; reasons: string[] };

export class AttemptRunner {
  constructor(private readonly deps: AttemptDeps) {}

  /**
   * `sibling`: this attempt is one of several of the task (scheduler/parallel), which has already
   * moved the task to running; before landing it waits for the contest's verdict, and only the winner
   * lands and decides the task's state.
   */
  async run(task: Task, sessionId: string, sibling?: Sibling): Promise<AttemptResult> {
    const { store, config, now } = this.deps;
    const workspace = store.workspaces.get(task.workspaceId);
    if (!workspace) throw new Error(`task ${task.id} refers to a missing workspace`);
    if (!sibling) store.tasks.move(task.id, 'running', now());
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
      worktreeState: { checkedSinceRestore: false },
    };
    const made: { worktree: EngineWorktree | null } = { worktree: null };
    // A sibling enters its task's contest once, whichever way it ends.
    const heard: { verdict: Verdict | null } = { verdict: null };
    const contest = async (
      outcome: Parameters<typeof candidateOf>[2],
      score: number | null,
    ): Promise<Verdict | null> =>
      sibling
        ? (heard.verdict ??= await sibling.contest.enter(
            candidateOf(sibling.variant, record.attempt(), outcome, score),
          ))
        : null;
    try {
      const staged = await this.pipeline(run, (worktree) => (made.worktree = worktree));
      let ended: AttemptEnding;
      if ('land' in staged) {
        const verdict = await contest('land', staged.breakdown.total);
        if (verdict?.kind === 'lost') {
          ended = lostEnding(
            {
              status: 'review',
              changes: { score: staged.breakdown.total, scoreBreakdown: staged.breakdown, reasons: staged.reasons },
            },
            true,
            verdict,
          );
        } else {
          ended = await staged.land(verdict?.kind === 'won' ? `chosen: ${verdict.note}` : undefined);
        }
      } else {
        const verdict = await contest(
          staged.end.status === 'merged' ? 'land' : staged.end.status,
          staged.end.changes.score ?? null,
        );
        ended =
          verdict === null
            ? staged.end
            : verdict.kind === 'won'
              ? withWinnerNote(staged.end, verdict)
              : lostEnding(staged.end, false, verdict);
      }
      const outcome = record.finish(ended, { task: heard.verdict === null || heard.verdict.kind === 'won' });
      await this.writeNote(task, attempt.id, workspace, log);
      return outcome;
    } catch (error) {
      if (isServerUnreachable(error)) {
        // Not this task's failure: the attempt is interrupted, the task goes back to the queue and the
        // session stops with this reason (see SessionRunner). A parallel sibling that lost leaves the
        // task to the winner.
        const why = error instanceof Error ? error.message : String(error);
        log.warn({ err: why }, 'model server unreachable: the attempt is interrupted and its task requeued');
        const verdict = await contest('interrupted', null);
        return record.interrupt(
          `the model server is unreachable: ${why}${verdict?.kind === 'lost' ? `; ${verdict.why}` : ''}`,
          { task: verdict === null || verdict.kind === 'won' },
        );
      }
      const reason = timeout.aborted
        ? `stopped after scheduler.max_task_minutes (${config.scheduler.max_task_minutes} min)`
        : !existsSync(workspace.path)
          ? repositoryGoneReason(workspace.path)
          : error instanceof Error
            ? error.message
            : String(error);
      log.error({ err: reason }, 'attempt failed');
      const verdict = await contest('failed', null);
      const failed = record.finish(
        { status: 'failed', changes: { reasons: verdict?.kind === 'lost' ? [reason, verdict.why] : [reason] } },
        { task: verdict === null || verdict.kind === 'won' },
      );
      await this.writeNote(task, attempt.id, workspace, log);
      return failed;
    } finally {
      const ended = store.attempts.require(attempt.id);
      const worktree = made.worktree;
      await cleanUpAttempt({
        git: this.deps.git,
        ownedRoot: this.deps.paths.worktrees,
        workspace,
        attempt: ended,
        worktreePath: worktree?.path ?? run.worktreeDir,
        worktree,
        checkedSinceRestore: run.worktreeState.checkedSinceRestore,
        log,
        now: now(),
        ...(this.deps.pool ? { pool: this.deps.pool } : {}),
      });
    }
  }

  /** The stages in order; each either hands the next one what it needs or says how the attempt ends. */
  private async pipeline(run: AttemptRun, markCreated: (worktree: EngineWorktree) => void): Promise<Staged> {
    const prepared = await prepareStage(run, markCreated);
    if ('end' in prepared) return { end: prepared.end };
    const { ready, baseCommit, startNote } = prepared.next;
    // Where the attempt started leads its reasons (the last reason stays the one that decided it).
    const noted = (ending: AttemptEnding): AttemptEnding => ({
      ...ending,
      changes: { ...ending.changes, reasons: [startNote, ...(ending.changes.reasons ?? [])] },
    });

    const baseline = await baselineStage(ready, baseCommit);
    if ('end' in baseline) return { end: noted(baseline.end) };

    const improved = await improveStage(ready, baseCommit, baseline.next);
    if ('end' in improved) return { end: noted(improved.end) };

    const { breakdown, reasons } = improved.next;
    return {
      breakdown,
      reasons: [startNote, ...reasons],
      land: async (note) => noted(await landStage(ready, breakdown, note === undefined ? reasons : [...reasons, note])),
    };
  }

  /** The attempt's note in the knowledge vault; a vault that cannot be written never fails the attempt. */
  private async writeNote(task: Task, attemptId: string, workspace: Workspace, log: AttemptDeps['log']): Promise<void> {
    try {
      await this.deps.knowledge.writeAttemptNote(
        this.deps.store.tasks.require(task.id),
        this.deps.store.attempts.require(attemptId),
        workspace,
      );
    } catch (error) {
      log.warn({ err: String(error) }, 'could not write the attempt note to the knowledge vault');
    }
  }
}
