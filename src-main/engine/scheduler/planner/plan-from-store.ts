// Reads what the planner needs from the store and the config — the queue, the latest finished
// attempts, the configured model's latest calls — and plans the night window that is open now, or the
// next one; and, for a running session, plans its own window and picks its next task.
import path from 'node:path';
import type { NightPlan } from '../../../../src-shared/domain/app-state';
import type { Config } from '../../../../src-shared/config/schema';
import type { Task } from '../../../../src-shared/domain/records';
import { isInWindow, minuteOfDayInZone, nextWindowChange, nightWindow } from '../../../../src-shared/night-window';
import type { Store } from '../../store/store';
import { estimateTask } from './estimate-task';
import type { TaskEstimate } from './estimate-task';
import { nextFittingTask } from './next-fitting-task';
import type { NextPick, TaskGroup } from './next-fitting-task';
import { measuredSpeed, planNight } from './plan-night';
import type { ModelSpeed } from './plan-night';
import { resolveSizing } from '../../llm/context-sizing';

/** Enough history for stable medians, bounded so status stays cheap at 10k attempts. */
const historyAttempts = 200;
const speedCalls = 50;

type PlannerConfig = Pick<Config, 'scheduler' | 'llm'>;

/** The ledger names an embedded model by its file name (llama-loader's modelName). */
function plannedModel(config: PlannerConfig): string {
  return config.llm.provider === 'llama' ? path.basename(config.llm.model_path ?? '') : config.llm.model;
}

/**
 * The model's speed: this session's own calls once it has made any (the speed the model has tonight,
 * from the first attempt on), else its latest calls in the ledger, else the stated prior.
 */
export function speedFromStore(store: Store, config: PlannerConfig, sessionId?: string): ModelSpeed {
  const model = plannedModel(config);
  const label = model || '(no model set)';
  // llm.context_size auto: the planner runs before the model loads, so it shows the stated fallback size.
  const contextSize = resolveSizing(config.llm, null).contextSize;
  if (sessionId !== undefined) {
    const tonight = measuredSpeed(store.usage.recentCallsOfSession(sessionId, model, speedCalls), label, contextSize);
    if (tonight.basis.startsWith('measured'))
      return { ...tonight, basis: tonight.basis.replace('measured', 'measured tonight') };
  }
  return measuredSpeed(store.usage.recentCalls(model, speedCalls), label, contextSize);
}

export function planFromStore(store: Store, config: PlannerConfig, now: Date): NightPlan | undefined {
  const { start_time, end_time, timezone } = config.scheduler;
  const window = nightWindow(start_time, end_time);
  const open = isInWindow(window, minuteOfDayInZone(now, timezone));
  const windowStart = open ? now : (nextWindowChange(window, now, timezone) ?? now);
  // A 24-hour window never closes: plan the next 24 hours.
  const windowEnd = nextWindowChange(window, windowStart, timezone) ?? new Date(windowStart.getTime() + 86_400_000);
  const sameDay = windowStart.toDateString() === now.toDateString();
  return planWindow(store, config, now, windowStart, windowEnd, open || sameDay ? 'tonight' : undefined);
}

function planWindow(
  store: Store,
  config: PlannerConfig,
  now: Date,
  windowStart: Date,
  windowEnd: Date,
  nightLabel: string | undefined,
): NightPlan | undefined {
  const queue = store.tasks.queueHeads();
  if (queue.length === 0) return undefined;
  return planNight({
    queue,
    history: store.attempts.recentFinished(historyAttempts),
    speed: speedFromStore(store, config),
    windowStart,
    windowEnd,
    now,
    nightLabel: nightLabel ?? `the night of ${windowStart.toISOString().slice(0, 10)}`,
  });
}

/** What a session says at its start: the plan of its own window (now until its end time). */
export interface SessionPlanNote {
  summary: string;
  tokensPerSecond: number;
  speedBasis: string;
}

export function planSession(
  store: Store,
  config: PlannerConfig,
  now: Date,
  until: Date | undefined,
): SessionPlanNote | undefined {
  if (until) {
    const plan = planWindow(store, config, now, now, until, 'tonight');
    return plan && { summary: plan.summary, tokensPerSecond: plan.tokensPerSecond, speedBasis: plan.speedBasis };
  }
  // No end time (`run --now` without --until): every queued task runs, by priority then age.
  const queued = store.tasks.countsByStatus().queued;
  if (queued === 0) return undefined;
  const speed = speedFromStore(store, config);
  return {
    summary: `${queued === 1 ? 'the 1 task runs' : `all ${queued} tasks run`}: no end time set`,
    tokensPerSecond: speed.tokensPerSecond,
    speedBasis: speed.basis,
  };
}

/**
 * The session's next task, re-planned at each pick: the time left shrinks, the estimates take in the
 * attempts that just finished, and the speed is tonight's own once the model has answered. Each pick
 * reads a bounded history (not the queue) and walks the queue index once per held-back group.
 */
export function pickSessionTask(
  store: Store,
  config: PlannerConfig,
  session: { id: string; until: Date | undefined },
  now: Date,
): NextPick<Task> {
  const remainingMs = session.until ? session.until.getTime() - now.getTime() : null;
  // Read once per pick, and only when a task is there to estimate.
  let estimator: ((group: TaskGroup) => TaskEstimate) | undefined;
  const estimate = (group: TaskGroup): TaskEstimate => {
    if (!estimator) {
      const history = store.attempts.recentFinished(historyAttempts);
      const speed = speedFromStore(store, config, session.id);
      estimator = (g) => estimateTask(g, history, speed.tokensPerSecond);
    }
    return estimator(group);
  };
  return nextFittingTask({ next: (skip) => store.tasks.next(skip), estimate, remainingMs });
}
