// One night's session (DESIGN §4 "Session"): takes the engine lock, recovers what a crashed session
// left behind, works queued tasks by priority then what fits the time left (the night planner) until
// the queue is empty, nothing left fits, the task limit or the end time is reached, or it is stopped;
// keeps live stats; and always ends the session record.
import type { Session, SessionStats } from '../../../src-shared/domain/records';
import type { Config } from '../../../src-shared/config/schema';
import { pickSessionTask, planSession } from './planner/plan-from-store';
import { heldBackReason } from './planner/held-back-reason';
import { nightStartedAt, nightWindow } from '../../../src-shared/night-window';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import type { SessionProgress } from '../../../src-shared/domain/progress';
import type { ModelCaller } from '../agents/model-caller';
import type { DependencyService } from '../deps/dependency-service';
import type { HomePaths } from '../config/home';
import type { GitCallOptions } from '../git/run-git';
import type { Logger } from '../log/logger';
import type { KnowledgeVault } from '../knowledge/knowledge-vault';
import { acquireEngineLock } from '../store/engine-lock';
import type { Store } from '../store/store';
import type { EngineEvents } from '../events/engine-events';
import os from 'node:os';
import type { AttemptDeps, CheckRunner } from './attempt-context';
import { AttemptRunner } from './attempt-runner';
import { checkSlotsFor, Semaphore } from './parallel/check-slots';
import { ParallelAttempts } from './parallel/parallel-attempts';
import { recoverCrashedWork } from './session-recovery';
import { WorktreePool } from './worktree-pool';
import { OutlineCache } from '../agents/repo-map/outline-cache';
import { CommitResolutionCache } from '../git/commit-resolution-cache';
import type { RecoveryResult } from './session-recovery';
import type { ResourceGate } from '../safety/resources/resource-gate';
import { waitForResources } from '../safety/resources/wait-for-resources';
import { applyBackupRetention } from '../safety/backup-retention';

export interface RunSessionOptions {
  trigger: 'manual' | 'night-window';
  maxTasks?: number | undefined;
  /** Stop starting new tasks at this time. */
  until?: Date | undefined;
  signal?: AbortSignal | undefined;
  /** This run's progress (the engine's `session:progress` events while it runs). */
  onProgress?: ((event: SessionProgress) => void) | undefined;
}

export type { SessionProgress };

export interface SessionRunnerDeps {
  config: Config;
  paths: HomePaths;
  store: Store;
  /** Where progress is recorded and published (one call for both). */
  events: EngineEvents;
  git: GitCallOptions;
  log: Logger;
  now: () => Date;
  model: () => ModelCaller;
  checks: CheckRunner;
  dependencies: DependencyService;
  knowledge: KnowledgeVault;
  /** Called when the session ends, to release the model and other session-scoped resources. */
  releaseSessionResources: () => Promise<void>;
  /** Resource gating (CPU, memory, disk, battery): a fresh gate per session, sampled on demand. */
  resourceGate?: () => ResourceGate;
}

export type { RecoveryResult };

export class SessionRunner {
  constructor(private readonly deps: SessionRunnerDeps) {}

  /** Recovery on its own (a host starting up), under the engine lock like a session. */
  async recover(): Promise<RecoveryResult> {
    const lock = acquireEngineLock(this.deps.paths.lock, 'recovery', this.deps.now());
    try {
      return await recoverCrashedWork({
        store: this.deps.store,
        git: this.deps.git,
        paths: this.deps.paths,
        log: this.deps.log,
        now: this.deps.now,
      });
    } finally {
      lock.release();
    }
  }

  async run(options: RunSessionOptions): Promise<Session> {
    const { store, now, config } = this.deps;
    const lock = acquireEngineLock(this.deps.paths.lock, `session (${options.trigger})`, now());
    let session: Session | undefined;
    // The session's attempt worktrees, reset and reused between attempts; removed when it ends.
    const pool = new WorktreePool({
      git: this.deps.git,
      ownedRoot: this.deps.paths.worktrees,
      size: config.parallel.max_parallel_attempts,
      log: this.deps.log.child({ subsystem: 'worktree-pool' }),
    });
    let gate: ResourceGate | undefined;
    try {
      await recoverCrashedWork({ store, git: this.deps.git, paths: this.deps.paths, log: this.deps.log, now });
      session = store.sessions.start(
        {
          trigger: options.trigger,
          settings: {
            provider: config.llm.provider,
            model: config.llm.provider === 'llama' ? config.llm.model_path : config.llm.model,
            sandbox: config.safety.sandbox,
            thresholds: { auto: config.quality.auto_approve_threshold, review: config.quality.review_threshold },
            maxImprovementCycles: config.quality.max_improvement_cycles,
            maxTasks: options.maxTasks ?? null,
            until: options.until?.toISOString() ?? null,
          },
        },
        now(),
      );
      const log = this.deps.log.child({ session_id: session.id });
      const stats: SessionStats = { ...session.stats };
      const events = this.deps.events;
      // The plan of this session's window at the start (speed from the ledger, estimates from history)
      // goes into the report; each pick below re-plans with the time left.
      const plan = planSession(store, config, now(), options.until);
      events.progress(
        { type: 'session-started', session, queued: store.tasks.countsByStatus().queued },
        {
          sessionId: session.id,
          taskId: null,
          type: 'session-started',
          message: `session started (${options.trigger})${plan ? `; plan: ${plan.summary}` : ''}`,
          ...(plan
            ? { data: { plan: plan.summary, tokensPerSecond: plan.tokensPerSecond, speedBasis: plan.speedBasis } }
            : {}),
        },
      );
      log.info({ trigger: options.trigger }, 'session started');

      const baselineCache = new Map<string, Promise<CheckOutcome[]>>();
      const attemptDeps: AttemptDeps = {
        config,
        paths: this.deps.paths,
        store,
        git: this.deps.git,
        model: this.deps.model(),
        checks: this.deps.checks,
        dependencies: this.deps.dependencies,
        knowledge: this.deps.knowledge,
        log,
        now,
        baselineCache,
        // Per night, not per session: every session since this night's start counts (scheduler.timezone).
        mergedThisNight: () =>
          store.attempts.countAutoMergedSince(
            nightStartedAt(
              now(),
              nightWindow(config.scheduler.start_time, config.scheduler.end_time),
              config.scheduler.timezone,
            ),
          ),
        onProgress: (progress) => events.progress({ type: 'attempt', progress }),
        pool,
        outlines: new OutlineCache(),
        trackedAtStart: new Map(),
        commits: new CommitResolutionCache(),
      };
      const runner = new AttemptRunner(attemptDeps);
      // parallel.max_parallel_attempts > 1: each task gets that many varied attempts, the best lands.
      const attempts = config.parallel.max_parallel_attempts;
      const parallel =
        attempts > 1
          ? new ParallelAttempts(attemptDeps, {
              attempts,
              checkSlots: new Semaphore(
                checkSlotsFor(os.availableParallelism(), config.safety.max_cpu_percent, attempts),
              ),
            })
          : null;

      const sessionId = session.id;
      gate = this.deps.resourceGate?.();
      let endReason = 'the queue is empty';
      let stoppedBy: string | null = null;
      let index = 0;
      for (;;) {
        if (options.signal?.aborted) {
          endReason = 'stopped by the user';
          break;
        }
        if (options.maxTasks !== undefined && index >= options.maxTasks) {
          endReason = `--max-tasks ${options.maxTasks} reached`;
          break;
        }
        if (options.until && now() >= options.until) {
          endReason = `the end time ${options.until.toISOString()} was reached`;
          break;
        }
        if (gate) {
          // An empty queue ends the session rather than waiting on the gate for nothing.
          if (!store.tasks.next()) break;
          // Above a resource limit the session waits (and says why) instead of starting new work.
          const waited = await waitForResources({
            gate,
            intervalS: config.scheduler.check_interval_s,
            signal: options.signal,
            deadline: options.until,
            now,
            onPause: (reason) => {
              if (!stats.pauses.includes(reason)) stats.pauses.push(reason);
              store.sessions.saveStats(sessionId, stats);
              log.warn({ reason }, 'paused: resource limit');
              events.progress(
                { type: 'paused', reason },
                { sessionId, taskId: null, type: 'session-paused', message: reason },
              );
            },
            onResume: (pausedMs) => {
              events.progress(
                { type: 'resumed', pausedMs },
                {
                  sessionId,
                  taskId: null,
                  type: 'session-resumed',
                  message: `resumed after ${Math.round(pausedMs / 1000)} s`,
                },
              );
            },
          });
          if (waited.kind === 'aborted') {
            endReason = 'stopped by the user';
            break;
          }
          if (waited.kind === 'deadline') {
            endReason = `the end time was reached while paused: ${waited.reasons.at(-1) ?? ''}`;
            break;
          }
        }
        // What fits is decided after any pause for resources: the pause took some of the time left.
        const pick = pickSessionTask(store, config, { id: session.id, until: options.until }, now());
        if (pick.kind === 'empty') break;
        if (pick.kind === 'none-fits') {
          // Starting a task that cannot finish would only leave it half done at the end time.
          endReason = heldBackReason(pick.heldBack, store.tasks.countsByStatus().queued, options.until);
          events.record({
            sessionId: session.id,
            taskId: null,
            type: 'session-plan-waits',
            message: endReason,
            data: { taskIds: pick.heldBack.map((h) => h.task.id) },
          });
          break;
        }
        const task = pick.task;
        index++;
        events.progress(
          { type: 'task-started', taskId: task.id, title: task.title, index },
          { sessionId: session.id, taskId: task.id, type: 'task-started', message: `started "${task.title}"` },
        );
        const result = parallel ? (await parallel.run(task, session.id)).winner : await runner.run(task, session.id);
        if (result.status === 'interrupted') {
          // The model server is down: every further task would fail the same way. Stop; the queue waits.
          stoppedBy = result.reasons.at(-1) ?? 'the model server is unreachable';
          endReason = `${stoppedBy}; the session stopped and the queued tasks wait for the next one`;
          events.progress(
            {
              type: 'task-finished',
              taskId: task.id,
              title: task.title,
              status: 'queued',
              score: null,
              reason: stoppedBy,
            },
            {
              sessionId: session.id,
              taskId: task.id,
              type: 'task-requeued',
              message: `"${task.title}": requeued — ${stoppedBy}`,
              data: { attemptId: result.id },
            },
          );
          break;
        }
        stats.tasksDone++;
        if (result.status === 'merged') stats.merged++;
        else if (result.status === 'review') stats.review++;
        else if (result.status === 'rejected') stats.rejected++;
        else stats.failed++;
        const usage = store.usage.totals({ sessionId: session.id });
        Object.assign(stats, {
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          cachedTokens: usage.cachedTokens,
          costUsd: usage.costUsd,
          energyWh: usage.energyWh,
        });
        store.sessions.saveStats(session.id, stats);
        const reason = result.reasons.at(-1) ?? null;
        events.progress(
          {
            type: 'task-finished',
            taskId: task.id,
            title: task.title,
            status: result.status,
            score: result.score,
            reason,
          },
          {
            sessionId: session.id,
            taskId: task.id,
            type: `task-${result.status}`,
            message: `"${task.title}": ${result.status}${reason ? ` — ${reason}` : ''}`,
            data: { attemptId: result.id, score: result.score },
          },
        );
      }

      if (gate) Object.assign(stats, gate.peaks());
      store.sessions.saveStats(session.id, stats);
      await this.pruneBackups(log);
      // The pool's worktrees go before the session is recorded as ended: whoever waits for the end
      // (the API, the tray, the next session) finds nothing of this one left on disk.
      await pool.drain();
      const ended = store.sessions.end(
        session.id,
        options.signal?.aborted || stoppedBy !== null ? 'stopped' : 'completed',
        endReason,
        now(),
      );
      log.info({ stats }, 'session ended');
      events.progress(
        { type: 'session-ended', session: ended },
        { sessionId: session.id, taskId: null, type: 'session-ended', message: `session ended: ${endReason}` },
      );
      return ended;
    } catch (error) {
      if (session) {
        const failed = store.sessions.end(
          session.id,
          'failed',
          error instanceof Error ? error.message : String(error),
          now(),
        );
        this.deps.events.progress(
          { type: 'session-ended', session: failed },
          {
            sessionId: session.id,
            taskId: null,
            type: 'session-failed',
            message: `session failed: ${failed.endReason ?? ''}`,
          },
        );
      }
      throw error;
    } finally {
      gate?.stop();
      await pool.drain(); // after a failure; a no-op when the session ended normally

      try {
        await this.deps.releaseSessionResources();
      } finally {
        lock.release();
      }
    }
  }

  /** Backup refs past safety.backup_retention_days go, except those of merges still inside it. */
  private async pruneBackups(log: Logger): Promise<void> {
    const { store, config, now } = this.deps;
    const from = now().getTime() - config.safety.backup_retention_days * 86_400_000;
    const protectedRefs = store.attempts
      .withStatus('merged')
      .filter((a) => a.backupRef !== null && a.endedAt !== null && Date.parse(a.endedAt) >= from)
      .map((a) => a.backupRef as string);
    for (const workspace of store.workspaces.list()) {
      try {
        const result = await applyBackupRetention({
          ...this.deps.git,
          repoPath: workspace.path,
          retentionDays: config.safety.backup_retention_days,
          protectedRefs,
          now: now(),
        });
        if (result.deleted.length > 0)
          log.info({ workspace: workspace.name, deleted: result.deleted.length }, 'pruned old backup refs');
      } catch (error) {
        log.warn({ workspace: workspace.name, err: String(error) }, 'could not prune backup refs');
      }
    }
  }
}
