import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src-shared/config/schema';
import { windowCapacity } from './capacity';

describe('windowCapacity', () => {
  it('counts the default 22:00–06:00 window at 30 minutes a task', () => {
    expect(windowCapacity(defaultConfig())).toEqual({ windowMinutes: 480, tasks: 16, mergeCap: 10 });
  });

  it('handles a window that does not cross midnight, parallel attempts and a whole-day window', () => {
    const config = defaultConfig();
    config.scheduler.start_time = '01:00';
    config.scheduler.end_time = '02:30';
    config.scheduler.max_task_minutes = 20;
    config.parallel.max_parallel_attempts = 2;
    expect(windowCapacity(config)).toEqual({ windowMinutes: 90, tasks: 8, mergeCap: 10 });
    config.scheduler.end_time = '01:00';
    expect(windowCapacity(config).windowMinutes).toBe(1440);
  });
});
