// The morning report: one session's stats and one entry per task it touched, built from the store
// only (so the CLI, the report window and the web view show the same facts).
import type { ReportTaskEntry, SessionReport, TimelineEvent } from '../../../src-shared/domain/report';
import type { TaskStatus } from '../../../src-shared/domain/task';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Store } from '../store/store';

export type { ReportTaskEntry, SessionReport };

export function buildSessionReport(store: Store, options: { sessionId?: string | undefined; freeToolTargetRate: number }): SessionReport {
  const { sessionId } = options;
  const session = sessionId ? store.sessions.get(sessionId) : store.sessions.latest();
  if (!session) {
    throw new NocturnalError(sessionId ? 'not_found' : 'conflict', sessionId ? `no session with id "${sessionId}"` : 'no session has run yet: queue a task and run `nocturnal run --now`');
  }
  const events = store.events.forSession(session.id);
  const tasks: ReportTaskEntry[] = store.attempts.forSession(session.id).map((attempt) => {
    const task = store.tasks.require(attempt.taskId);
    const usage = store.usage.totals({ attemptId: attempt.id });
    return {
      taskId: task.id,
      title: task.title,
      workspace: task.workspace,
      status: outcomeInSession(events, attempt.id) ?? outcomeOf(attempt.status, task.status),
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
      tokens: { prompt: usage.promptTokens, completion: usage.completionTokens, cached: usage.cachedTokens },
      durationMs: attempt.endedAt ? Date.parse(attempt.endedAt) - Date.parse(attempt.startedAt) : null,
      reasons: attempt.reasons,
    };
  });
  const settings = store.sessions.settings(session.id) as { sandbox?: string } | undefined;
  const notes: string[] = [];
  if (settings?.sandbox === 'off') notes.push('safety.sandbox was off: checks ran WITHOUT the OS sandbox this night.');
  const undone = tasks.filter((t) => t.attemptStatus === 'undone');
  if (undone.length > 0) notes.push(`${undone.length} change(s) merged in this session were undone since: ${undone.map((t) => `"${t.title}" (${t.attemptId})`).join(', ')}`);
  const totals = store.usage.totals({ sessionId: session.id });
  const freeRate = totals.calls > 0 ? totals.freeCalls / totals.calls : null;
  if (freeRate !== null && freeRate < options.freeToolTargetRate) {
    notes.push(`only ${Math.round(freeRate * 100)}% of model calls used free models (target ${Math.round(options.freeToolTargetRate * 100)}%, cost.free_tool_target_rate)`);
  }
  return {
    usage: { calls: totals.calls, freeCalls: totals.freeCalls, freeRate, freeTargetRate: options.freeToolTargetRate, costUsd: totals.costUsd, energyWh: totals.energyWh },
    session: { ...session, durationMs: session.endedAt ? Date.parse(session.endedAt) - Date.parse(session.startedAt) : null },
    tasks,
    events,
    notes,
  };
}

const outcomes: readonly TaskStatus[] = ['merged', 'review', 'rejected', 'failed'];

/** The outcome the session recorded when the attempt ended (its `task-<status>` event). */
function outcomeInSession(events: TimelineEvent[], attemptId: string): TaskStatus | null {
  for (const event of events) {
    const data = event.data as { attemptId?: unknown } | null;
    if (data?.attemptId !== attemptId) continue;
    if (event.type === 'task-requeued') return 'queued';
    const status = event.type.replace(/^task-/, '') as TaskStatus;
    if (outcomes.includes(status)) return status;
  }
  return null;
}

/** Without the event (a session still running, or one from before events carried it): the attempt's own end. */
function outcomeOf(attemptStatus: string, taskStatusNow: TaskStatus): TaskStatus {
  if (attemptStatus === 'interrupted') return 'queued';
  if (attemptStatus === 'running') return 'running';
  if (attemptStatus === 'undone') return 'merged';
  return outcomes.includes(attemptStatus as TaskStatus) ? (attemptStatus as TaskStatus) : taskStatusNow;
}
