// The night plan: which queued tasks fit the window at the model's measured speed (issue 12). Pure:
// the engine reads the queue, the history and the ledger, and this decides.
import type { NightPlan, PlannedTask } from '../../../../src-shared/domain/app-state';
import { priorityRank } from '../../../../src-shared/domain/task';
import type { TaskExecutor, TaskPriority } from '../../../../src-shared/domain/task';
import { estimateTask } from './estimate-task';
import type { PastAttempt } from './estimate-task';

export interface QueuedTask {
  id: string;
  title: string;
  priority: TaskPriority;
  executor: TaskExecutor;
  workspaceId: string;
  createdAt: string;
}

export interface ModelSpeed {
  tokensPerSecond: number;
  contextSize: number;
  /** Where the figure came from, in words ("measured over the last 40 calls of m.gguf" / "prior: …"). */
  basis: string;
}

export interface PlanInput {
  /** Queued tasks, any order: the plan orders them. */
  queue: readonly QueuedTask[];
  history: readonly PastAttempt[];
  speed: ModelSpeed;
  /** The window the plan fills: from max(now, its start) to its end. */
  windowStart: Date;
  windowEnd: Date;
  now: Date;
  /** "tonight" while the window is open or opens today, else the words the caller chooses. */
  nightLabel?: string;
}

// Ordinal rather than localeCompare: the keys are ISO timestamps of one format and base-36 ids, which
// sort the same either way, and a process's first localeCompare loads ICU's collator (~10 ms of every
// `nocturnal status`, which plans the night).
const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * By priority first; inside a priority, in age order, each task that still fits the time left is
 * planned and one that does not waits — without blocking the shorter ones behind it. The tasks that
 * wait follow, in the same order. The session applies the same rule at each pick with the time then
 * left (next-fitting-task.ts, which says why first fit rather than shortest-first).
 */
export function planNight(input: PlanInput): NightPlan {
  const ordered = [...input.queue].sort(
    (a, b) =>
      priorityRank[b.priority] - priorityRank[a.priority] ||
      byCodeUnit(a.createdAt, b.createdAt) ||
      byCodeUnit(a.id, b.id),
  );
  let clock = Math.max(input.now.getTime(), input.windowStart.getTime());
  const end = input.windowEnd.getTime();
  const planned: PlannedTask[] = [];
  const waiting: PlannedTask[] = [];
  // Tasks of one workspace and executor share their estimate: computed once, not once per queued task.
  const estimates = new Map<string, ReturnType<typeof estimateTask>>();
  for (const task of ordered) {
    const key = `${task.workspaceId}\u0000${task.executor}`;
    const estimate = estimates.get(key) ?? estimateTask(task, input.history, input.speed.tokensPerSecond);
    estimates.set(key, estimate);
    const finishes = clock + estimate.seconds * 1000;
    const fits = finishes <= end;
    const entry: PlannedTask = {
      taskId: task.id,
      title: task.title,
      priority: task.priority,
      tokens: Math.round(estimate.tokens),
      minutes: Math.round((estimate.seconds / 60) * 10) / 10,
      basis: estimate.basis,
      samples: estimate.samples,
      fits,
      startsAt: fits ? new Date(clock).toISOString() : null,
    };
    if (fits) {
      planned.push(entry);
      clock = finishes;
    } else waiting.push(entry);
  }
  const night = input.nightLabel ?? 'tonight';
  const total = ordered.length;
  const summary =
    total === 0
      ? 'nothing is queued'
      : waiting.length === 0
        ? total === 1
          ? `the 1 task fits ${night}`
          : `all ${total} tasks fit ${night}`
        : `${planned.length} of ${total} tasks fit ${night}; ${waiting.length} ${waiting.length === 1 ? 'waits' : 'wait'} for ${night === 'tonight' ? 'tomorrow' : 'the night after'}`;
  return {
    windowStart: new Date(Math.max(input.now.getTime(), input.windowStart.getTime())).toISOString(),
    windowEnd: input.windowEnd.toISOString(),
    tokensPerSecond: input.speed.tokensPerSecond,
    contextSize: input.speed.contextSize,
    speedBasis: input.speed.basis,
    tasks: [...planned, ...waiting],
    fitting: planned.length,
    summary,
  };
}

/** The model's effective speed from its recent calls in the ledger, or the stated prior without any. */
export function measuredSpeed(
  calls: readonly { completionTokens: number; durationMs: number }[],
  model: string,
  contextSize: number,
): ModelSpeed {
  const tokens = calls.reduce((sum, c) => sum + c.completionTokens, 0);
  const ms = calls.reduce((sum, c) => sum + c.durationMs, 0);
  if (calls.length === 0 || tokens === 0 || ms === 0) {
    return {
      tokensPerSecond: priorTokensPerSecond,
      contextSize,
      basis: `prior: ${priorTokensPerSecond} tok/s (no call of ${model} measured yet)`,
    };
  }
  return {
    tokensPerSecond: tokens / (ms / 1000),
    contextSize,
    basis: `measured over the last ${calls.length} call(s) of ${model}`,
  };
}

/** A 7B Q4 model on a laptop CPU, prompt evaluation included; replaced by the measurement after one call. */
export const priorTokensPerSecond = 8;
