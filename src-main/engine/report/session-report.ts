// The morning report: one session's stats and one entry per task it touched, built from the store
// only (so the CLI, the report window and the web view show the same facts).
import type { ReportTaskEntry, SessionReport, TimelineEvent } from '../../../src-shared/domain/report';
import type { TaskStatus } from '../../../src-shared/domain/task';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Store } from '../store/store';

export type { ReportTaskEntry, SessionReport };

export function buildSessionReport(
  store: Store,
  options: { sessionId?: string | undefined; freeToolTargetRate: number },
): SessionReport {
  const { sessionId } = options;
  const session = sessionId ? store.sessions.get(sessionId) : store.sessions.latest();
  if (!session) {
    throw new NocturnalError(
      sessionId ? 'not_found' : 'conflict',
      sessionId
        ? `no session with id "${sessionId}"`
        : 'no session has run yet: queue a task and run `nocturnal run --now`',
    );
  }
  const events = store.events.forSession(session.id);
  // Batched: one query each for the attempts, their tasks and their token totals, and one pass over the
  // timeline, so a session of 10,000 attempts costs 10× one of 1,000 (not 100×).
  const recorded = outcomesInSession(events);
  const heads = store.tasks.headsForSession(session.id);
  const tokens = store.usage.tokensByAttemptOfSession(session.id);
  const tasks: ReportTaskEntry[] = store.attempts.forSession(session.id).map((attempt) => {
    const task = heads.get(attempt.taskId);
    if (!task)
      throw new NocturnalError(
        'runtime',
        `attempt ${attempt.id} points at task ${attempt.taskId}, which is not in the database`,
      );
    return {
      taskId: task.id,
      title: task.title,
      workspace: task.workspace,
      status: recorded.get(attempt.id) ?? outcomeOf(attempt.status, task.status),
      statusNow: task.status,
      attemptId: attempt.id,
      attemptStatus: attempt.status,
      score: attempt.score,
      scoreBreakdown: attempt.scoreBreakdown,
      decision: attempt.decision,
      branch: attempt.branch,
      targetBranch: attempt.targetBranch,
      mergedCommit: attempt.mergedCommit,
      backupRef: attempt.backupRef,
      diff: attempt.diff,
      checksBefore: attempt.checksBefore,
      checksAfter: attempt.checksAfter,
      cycles: attempt.cycles,
      tokens: tokens.get(attempt.id) ?? { prompt: 0, completion: 0, cached: 0 },
      durationMs: attempt.endedAt ? Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt) : null,
      reasons: attempt.reasons,
    };
  });
  const settings = store.sessions.settings(session.id) as { sandbox?: string } | undefined;
  const notes: string[] = [];
  const plan = planAtStart(events);
  if (plan) notes.push(`plan at the start: ${plan}`);
  if (settings?.sandbox === 'off') notes.push('safety.sandbox was off: checks ran WITHOUT the OS sandbox this night.');
  const undone = tasks.filter((t) => t.attemptStatus === 'undone');
  if (undone.length > 0)
    notes.push(
      `${undone.length} change(s) merged in this session were undone since: ${undone.map((t) => `"${t.title}" (${t.attemptId})`).join(', ')}`,
    );
  const totals = store.usage.totals({ sessionId: session.id });
  const freeRate = totals.calls > 0 ? totals.freeCalls / totals.calls : null;
  if (freeRate !== null && freeRate < options.freeToolTargetRate) {
    notes.push(
      `only ${Math.round(freeRate * 100)}% of model calls used free models (target ${Math.round(options.freeToolTargetRate * 100)}%, cost.free_tool_target_rate)`,
    );
  }
  return {
    usage: {
      calls: totals.calls,
      freeCalls: totals.freeCalls,
      freeRate,
      freeTargetRate: options.freeToolTargetRate,
      costUsd: totals.costUsd,
      energyWh: totals.energyWh,
    },
    session: {
      ...session,
      durationMs: session.endedAt ? Date.parse(session.endedAt) - Date.parse(session.startedAt) : null,
    },
    tasks,
    events,
    notes,
  };
}

/** The night plan's summary the session recorded when it started (its session-started event). */
function planAtStart(events: TimelineEvent[]): string | null {
  const started = events.find((e) => e.type === 'session-started');
  const plan = (started?.data as { plan?: unknown } | null | undefined)?.plan;
  return typeof plan === 'string' ? plan : null;
}

const outcomes: readonly TaskStatus[] = ['merged', 'review', 'rejected', 'failed'];

/** The outcome the session recorded when each attempt ended (its first `task-<status>` event), by attempt id. */
function outcomesInSession(events: TimelineEvent[]): Map<string, TaskStatus> {
  const found = new Map<string, TaskStatus>();
  for (const event of events) {
    const data = event.data as { attemptId?: unknown } | null;
    const attemptId = data?.attemptId;
    if (typeof attemptId !== 'string' || found.has(attemptId)) continue;
    if (event.type === 'task-requeued') found.set(attemptId, 'queued');
    else {
      const status = event.type.replace(/^task-/, '') as TaskStatus;
      if (outcomes.includes(status)) found.set(attemptId, status);
    }
  }
  return found;
}

/** Without the event (a session still running, or one from before events carried it): the attempt's own end. */
function outcomeOf(attemptStatus: string, taskStatusNow: TaskStatus): TaskStatus {
  if (attemptStatus === 'interrupted') return 'queued';
  if (attemptStatus === 'running') return 'running';
  if (attemptStatus === 'undone') return 'merged';
  return outcomes.includes(attemptStatus as TaskStatus) ? (attemptStatus as TaskStatus) : taskStatusNow;
}
