// How the parallel attempts of one task differ (DESIGN §4 "Attempt": different temperature, executor
// or edit style). Variant 0 is always the task exactly as queued, at the configured temperature, so
// a night with one attempt per task behaves as before; each further variant samples hotter, and every
// third one also switches the executor (direct ↔ spec), because a plan first is the most different
// route to the same change the pipeline offers.
import type { TaskExecutor } from '../../../../src-shared/domain/task';

export interface AttemptVariant {
  /** 0-based position among the task's parallel attempts; the last tie-break of the chooser. */
  index: number;
  temperature: number;
  executor: TaskExecutor;
  /** In words, for the attempt's reasons and the report. */
  label: string;
}

/** Temperatures stay inside what the config allows (llm.temperature is 0..2). */
const maxTemperature = 2;
/** How much hotter each further variant samples. */
export const temperatureStep = 0.3;

export function planVariants(count: number, base: { temperature: number; executor: TaskExecutor }): AttemptVariant[] {
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`parallel.max_parallel_attempts must be a positive integer, got ${count}`);
  return Array.from({ length: count }, (_, index) => {
    const temperature = round(Math.min(maxTemperature, base.temperature + index * temperatureStep));
    const executor = index % 3 === 2 ? otherExecutor(base.executor) : base.executor;
    const label =
      index === 0
        ? `as queued (${executor}, temperature ${temperature})`
        : `${executor} executor, temperature ${temperature}`;
    return { index, temperature, executor, label };
  });
}

function otherExecutor(executor: TaskExecutor): TaskExecutor {
  return executor === 'direct' ? 'spec' : 'direct';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
