// What tonight's window can take: its length over the longest a task may run, capped by the merges a
// night allows. An upper bound, said as one.
import type { Config } from '../../src-shared/config/schema';
import { nightWindow } from '../../src-shared/night-window';

export interface Capacity {
  windowMinutes: number;
  tasks: number;
  mergeCap: number;
}

export function windowCapacity(config: Config): Capacity {
  const window = nightWindow(config.scheduler.start_time, config.scheduler.end_time);
  const windowMinutes = window.start === window.end ? 1440 : (window.end - window.start + 1440) % 1440;
  const parallel = config.parallel.max_parallel_attempts;
  return {
    windowMinutes,
    tasks: Math.floor(windowMinutes / config.scheduler.max_task_minutes) * parallel,
    mergeCap: config.scheduler.max_changes_per_night,
  };
}
