// Reads what the planner needs from the store and the config — the queue, the latest finished
// attempts, the configured model's latest calls — and plans the night window that is open now, or the
// next one.
import path from 'node:path';
import type { NightPlan } from '../../../../src-shared/domain/app-state';
import type { Config } from '../../../../src-shared/config/schema';
import { isInWindow, minuteOfDayInZone, nextWindowChange, nightWindow } from '../../../../src-shared/night-window';
import type { Store } from '../../store/store';
import { measuredSpeed, planNight } from './plan-night';
import { resolveSizing } from '../../llm/context-sizing';

/** Enough history for stable medians, bounded so status stays cheap at 10k attempts. */
const historyAttempts = 200;
const speedCalls = 50;

export function planFromStore(
  store: Store,
  config: Pick<Config, 'scheduler' | 'llm'>,
  now: Date,
): NightPlan | undefined {
  const queue = store.tasks.queueHeads();
  if (queue.length === 0) return undefined;
  const { start_time, end_time, timezone } = config.scheduler;
  const window = nightWindow(start_time, end_time);
  const open = isInWindow(window, minuteOfDayInZone(now, timezone));
  const windowStart = open ? now : (nextWindowChange(window, now, timezone) ?? now);
  // A 24-hour window never closes: plan the next 24 hours.
  const windowEnd = nextWindowChange(window, windowStart, timezone) ?? new Date(windowStart.getTime() + 86_400_000);
  // The ledger names an embedded model by its file name (llama-loader's modelName).
  const model = config.llm.provider === 'llama' ? path.basename(config.llm.model_path ?? '') : config.llm.model;
  // llm.context_size auto: the planner runs before the model loads, so it shows the stated fallback size.
  const speed = measuredSpeed(
    store.usage.recentCalls(model, speedCalls),
    model || '(no model set)',
    resolveSizing(config.llm, null).contextSize,
  );
  const sameDay = windowStart.toDateString() === now.toDateString();
  return planNight({
    queue,
    history: store.attempts.recentFinished(historyAttempts),
    speed,
    windowStart,
    windowEnd,
    now,
    nightLabel: open || sameDay ? 'tonight' : `the night of ${windowStart.toISOString().slice(0, 10)}`,
  });
}
