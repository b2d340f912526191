// The night scheduler on a clock the test moves: when sessions start and how long they may start
// tasks, across midnight and both DST nights of Europe/Berlin. The session here is a small queue
// worker on the same clock (one task = 20 minutes) that honours `until` and the stop signal exactly
// as the real session runner does; the real runner under the scheduler is covered by
// src-main/host/engine-host.test.ts and the `nocturnal run` tests.
import { describe, expect, it } from 'vitest';
import type { SchedulerConfig } from '../../../src-shared/config/schema';
import { emptySessionStats } from '../../../src-shared/domain/records';
import type { Session } from '../../../src-shared/domain/records';
import { silentLogger } from '../log/logger';
import { NightScheduler } from './night-scheduler';
import type { SchedulerState } from './night-scheduler';
import type { RunSessionOptions } from './session-runner';
import { createManualClock } from './testing/manual-clock';
import { heldBackReason } from './planner/held-back-reason';

const taskMinutes = 20;

/** The default night (22:00–06:00 Berlin, checked every minute) every test starts from. */
const nightSettings: SchedulerConfig = {
  start_time: '22:00',
  end_time: '06:00',
  timezone: 'Europe/Berlin',
  night_mode: true,
  max_changes_per_night: 10,
  max_task_minutes: 30,
  check_interval_s: 60,
};

interface Ran {
  trigger: string;
  startedAt: string;
  until: string | null;
  tasks: string[];
  endedAt: string;
  endReason: string;
}

function setup(options: { start: string; settings?: Partial<SchedulerConfig>; queue?: number }) {
  const clock = createManualClock(options.start);
  let settings: SchedulerConfig = { ...nightSettings, ...options.settings };
  let queue = options.queue ?? 0;
  const ran: Ran[] = [];
  const states: SchedulerState[] = [];
  const wait = (ms: number) => new Promise<void>((resolve) => clock.setTimer(ms, resolve));

  const runSession = async (run: RunSessionOptions): Promise<Session> => {
    const record: Ran = {
      trigger: run.trigger,
      startedAt: clock.now().toISOString(),
      until: run.until?.toISOString() ?? null,
      tasks: [],
      endedAt: '',
      endReason: '',
    };
    ran.push(record);
    let endReason = 'the queue is empty';
    for (;;) {
      if (run.signal?.aborted) {
        endReason = 'stopped by the user';
        break;
      }
      if (run.until && clock.now() >= run.until) {
        endReason = 'the end time was reached';
        break;
      }
      if (queue === 0) break;
      queue--;
      record.tasks.push(clock.now().toISOString());
      await wait(taskMinutes * 60_000);
    }
    record.endedAt = clock.now().toISOString();
    record.endReason = endReason;
    return {
      id: `s${ran.length}`,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      status: 'completed',
      trigger: run.trigger,
      stats: emptySessionStats(),
      endReason,
    };
  };

  const scheduler = new NightScheduler({
    now: clock.now,
    setTimer: clock.setTimer,
    settings: () => settings,
    queued: () => queue,
    runSession,
    log: silentLogger(),
    onState: (state) => states.push(state),
  });
  return {
    clock,
    scheduler,
    ran,
    states,
    addTasks: (n: number) => (queue += n),
    queued: () => queue,
    set: (over: Partial<SchedulerConfig>) => (settings = { ...settings, ...over }),
  };
}

describe('night scheduler', () => {
  it('waits for the window, starts at its opening, and stops starting tasks when it closes', async () => {
    // 20:00 Berlin (CET) on an ordinary night; 40 tasks outlast the 8-hour window.
    const t = setup({ start: '2026-01-15T19:00:00Z', queue: 40 });
    t.scheduler.start();
    expect(t.scheduler.state()).toMatchObject({
      phase: 'waiting',
      nightMode: true,
      nextStart: new Date('2026-01-15T21:00:00Z'),
    });

    await t.clock.advanceTo('2026-01-15T20:59:00Z');
    expect(t.ran).toEqual([]);
    await t.clock.advanceTo('2026-01-15T21:00:00Z');
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({
      trigger: 'night-window',
      startedAt: '2026-01-15T21:00:00.000Z',
      until: '2026-01-16T05:00:00.000Z',
    });
    expect(t.scheduler.state()).toMatchObject({
      phase: 'working',
      running: 'night-window',
      windowClosesAt: new Date('2026-01-16T05:00:00Z'),
    });

    await t.clock.advanceTo('2026-01-16T06:00:00Z');
    // 8 hours of 20-minute tasks across midnight: 24 tasks, the last one started at 04:40Z and finished.
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]?.tasks).toHaveLength(24);
    expect(t.ran[0]?.tasks.at(-1)).toBe('2026-01-16T04:40:00.000Z');
    expect(t.ran[0]).toMatchObject({ endedAt: '2026-01-16T05:00:00.000Z', endReason: 'the end time was reached' });
    expect(t.queued()).toBe(16);
    expect(t.scheduler.state()).toMatchObject({ phase: 'waiting', nextStart: new Date('2026-01-16T21:00:00Z') });
  });

  it('lets the running task finish after the window closes', async () => {
    const t = setup({ start: '2026-01-16T04:50:00Z', queue: 3 }); // 05:50 Berlin, inside the window
    t.scheduler.start();
    await t.clock.advanceTo('2026-01-16T06:00:00Z');
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({
      tasks: ['2026-01-16T04:50:00.000Z'],
      endedAt: '2026-01-16T05:10:00.000Z',
      endReason: 'the end time was reached',
    });
  });

  it('spring forward (29 March 2026): the 22:00–06:00 window is seven real hours', async () => {
    const t = setup({ start: '2026-03-28T12:00:00Z', queue: 40 });
    t.scheduler.start();
    expect(t.scheduler.state().nextStart).toEqual(new Date('2026-03-28T21:00:00Z')); // 22:00 CET
    await t.clock.advanceTo('2026-03-29T06:00:00Z');
    expect(t.ran).toHaveLength(1);
    // Closes at 06:00 CEST = 04:00Z: 21 tasks of 20 minutes, not the 24 a wall-clock sum would allow.
    expect(t.ran[0]).toMatchObject({
      startedAt: '2026-03-28T21:00:00.000Z',
      until: '2026-03-29T04:00:00.000Z',
      endedAt: '2026-03-29T04:00:00.000Z',
    });
    expect(t.ran[0]?.tasks).toHaveLength(21);
    expect(t.scheduler.state().nextStart).toEqual(new Date('2026-03-29T20:00:00Z')); // 22:00 CEST
  });

  it('fall back (25 October 2026): the 22:00–06:00 window is nine real hours', async () => {
    const t = setup({ start: '2026-10-24T12:00:00Z', queue: 40 });
    t.scheduler.start();
    expect(t.scheduler.state().nextStart).toEqual(new Date('2026-10-24T20:00:00Z')); // 22:00 CEST
    await t.clock.advanceTo('2026-10-25T08:00:00Z');
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({
      startedAt: '2026-10-24T20:00:00.000Z',
      until: '2026-10-25T05:00:00.000Z',
      endedAt: '2026-10-25T05:00:00.000Z',
    });
    expect(t.ran[0]?.tasks).toHaveLength(27);
    expect(t.scheduler.state().nextStart).toEqual(new Date('2026-10-25T21:00:00Z')); // 22:00 CET
  });

  it('a window starting inside the skipped spring hour opens when the clock jumps', async () => {
    const t = setup({ start: '2026-03-28T23:00:00Z', queue: 1, settings: { start_time: '02:30', end_time: '04:00' } });
    t.scheduler.start();
    await t.clock.advanceTo('2026-03-29T03:00:00Z');
    expect(t.ran.map((r) => r.startedAt)).toEqual(['2026-03-29T01:00:00.000Z']); // 03:00 CEST
  });

  it('resumes after a restart inside the window (a fresh scheduler starts at once)', async () => {
    const t = setup({ start: '2026-01-16T01:17:00Z', queue: 2 }); // 02:17 Berlin
    t.scheduler.start();
    await t.clock.advance(0);
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({ startedAt: '2026-01-16T01:17:00.000Z', until: '2026-01-16T05:00:00.000Z' });
  });

  it('with night mode off waits, and starts once night mode is turned on inside the window', async () => {
    const t = setup({ start: '2026-01-15T20:00:00Z', queue: 1, settings: { night_mode: false } });
    t.scheduler.start();
    await t.clock.advanceTo('2026-01-15T23:00:00Z');
    expect(t.ran).toEqual([]);
    expect(t.scheduler.state()).toMatchObject({ phase: 'off', nightMode: false, nextStart: null });

    t.set({ night_mode: true });
    // Noticed at the next look around (check_interval_s = 60), without a poke.
    await t.clock.advance(60_000);
    expect(t.ran.map((r) => r.startedAt)).toEqual(['2026-01-15T23:01:00.000Z']);
  });

  it('starts nothing on an empty queue, then picks up a task added during the night', async () => {
    const t = setup({ start: '2026-01-15T21:30:00Z', queue: 0 });
    t.scheduler.start();
    await t.clock.advance(10 * 60_000);
    expect(t.ran).toEqual([]);
    expect(t.scheduler.state()).toMatchObject({ phase: 'idle', note: 'the window is open and nothing is queued' });
    t.addTasks(1);
    t.scheduler.poke();
    await t.clock.advance(0);
    expect(t.ran).toHaveLength(1);
  });

  it('"stop after this task" finishes the task and starts nothing more tonight', async () => {
    const t = setup({ start: '2026-01-15T21:00:00Z', queue: 10 });
    t.scheduler.start();
    await t.clock.advance(5 * 60_000);
    expect(t.scheduler.stopAfterCurrentTask()).toBe(true);
    expect(t.scheduler.state()).toMatchObject({ phase: 'working', stopRequested: true });
    await t.clock.advanceTo('2026-01-16T05:30:00Z');
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({
      tasks: ['2026-01-15T21:00:00.000Z'],
      endReason: 'stopped by the user',
      endedAt: '2026-01-15T21:20:00.000Z',
    });
    // The next night works again.
    await t.clock.advanceTo('2026-01-16T21:00:00Z');
    expect(t.ran).toHaveLength(2);
  });

  it('switching night mode off mid-session stops after the current task', async () => {
    const t = setup({ start: '2026-01-15T21:00:00Z', queue: 10 });
    t.scheduler.start();
    await t.clock.advance(60_000);
    t.set({ night_mode: false });
    t.scheduler.poke();
    await t.clock.advance(3 * 3600_000);
    expect(t.ran).toHaveLength(1);
    expect(t.ran[0]).toMatchObject({ tasks: ['2026-01-15T21:00:00.000Z'], endReason: 'stopped by the user' });
    expect(t.scheduler.state().phase).toBe('off');
  });

  it('"run now" runs one manual session outside the window and refuses a second at once', async () => {
    const t = setup({ start: '2026-01-15T10:00:00Z', queue: 2 });
    t.scheduler.start();
    const session = t.scheduler.runNow({ maxTasks: 5 });
    expect(() => t.scheduler.runNow()).toThrow(/already running/);
    await t.clock.advance(3600_000);
    expect((await session).trigger).toBe('manual');
    expect(t.ran).toMatchObject([
      { trigger: 'manual', tasks: ['2026-01-15T10:00:00.000Z', '2026-01-15T10:20:00.000Z'] },
    ]);
    expect(t.scheduler.state().phase).toBe('waiting');
  });

  it('a session that cannot start is retried after a check interval, not in a loop', async () => {
    const t = setup({ start: '2026-01-15T21:00:00Z', queue: 1 });
    let calls = 0;
    const scheduler = new NightScheduler({
      now: t.clock.now,
      setTimer: t.clock.setTimer,
      settings: () => nightSettings,
      queued: () => 1,
      runSession: () => {
        calls++;
        return Promise.reject(new Error('llm.model_path is not set'));
      },
      log: silentLogger(),
    });
    scheduler.start();
    await t.clock.advance(5 * 60_000 + 1);
    expect(calls).toBe(6);
    expect(scheduler.state().note).toBe('the night session could not run: llm.model_path is not set');
    await scheduler.stop();
  });

  it('a night session the engine stopped (model server down) is retried after a check interval, not in a loop', async () => {
    const t = setup({ start: '2026-01-15T21:00:00Z', queue: 1 });
    const reason = 'the model server is unreachable; the session stopped and the queued tasks wait for the next one';
    let calls = 0;
    const scheduler = new NightScheduler({
      now: t.clock.now,
      setTimer: t.clock.setTimer,
      settings: () => nightSettings,
      // Bounded so that a regression ends (and fails below) instead of spinning the test forever.
      queued: () => (calls < 50 ? 1 : 0),
      runSession: (run) => {
        calls++;
        return Promise.resolve({
          id: `s${calls}`,
          startedAt: t.clock.now().toISOString(),
          endedAt: t.clock.now().toISOString(),
          status: 'stopped',
          trigger: run.trigger,
          stats: emptySessionStats(),
          endReason: reason,
        });
      },
      log: silentLogger(),
    });
    scheduler.start();
    await t.clock.advanceTo('2026-01-15T21:05:00.001Z');
    expect(calls).toBe(6);
    expect(scheduler.state()).toMatchObject({ phase: 'idle', note: reason });
    await scheduler.stop();
  });

  it('stop() lets the running task finish and then starts nothing', async () => {
    const t = setup({ start: '2026-01-15T21:00:00Z', queue: 5 });
    t.scheduler.start();
    await t.clock.advance(60_000);
    const stopped = t.scheduler.stop();
    await t.clock.advance(30 * 60_000);
    await stopped;
    expect(t.ran[0]?.tasks).toHaveLength(1);
    expect(t.scheduler.state().phase).toBe('stopped');
    expect(t.clock.pending()).toBe(0);
  });
});

describe('night scheduler re-entry', () => {
  it('a poke while reading the settings (config:changed published by the reload) starts one session, not two', async () => {
    const clock = createManualClock('2026-01-15T21:30:00Z');
    const runs: RunSessionOptions[] = [];
    let reads = 0;
    const scheduler: NightScheduler = new NightScheduler({
      now: clock.now,
      setTimer: clock.setTimer,
      settings: () => {
        // The first read notices a changed file and publishes; the host's listener pokes at once.
        if (++reads === 1) scheduler.poke();
        return { ...nightSettings };
      },
      queued: () => 1,
      runSession: (run) => {
        runs.push(run);
        return new Promise(() => undefined);
      },
      log: silentLogger(),
    });
    scheduler.start();
    await clock.advance(0);
    expect(runs).toHaveLength(1);
    expect(scheduler.state()).toMatchObject({ phase: 'working', note: null });
  });
});

describe('night scheduler limits', () => {
  it('applies per-night limits (run --max-tasks/--until) inside the window', async () => {
    const clock = createManualClock('2026-01-15T20:59:00Z');
    const runs: RunSessionOptions[] = [];
    const scheduler = new NightScheduler({
      now: clock.now,
      setTimer: clock.setTimer,
      settings: () => nightSettings,
      queued: () => (runs.length === 0 ? 1 : 0),
      runSession: (run) => {
        runs.push(run);
        return Promise.resolve({
          id: 's1',
          startedAt: '',
          endedAt: '',
          status: 'completed',
          trigger: run.trigger,
          stats: emptySessionStats(),
          endReason: null,
        });
      },
      nightLimits: () => ({ maxTasks: 2, until: new Date('2026-01-16T01:00:00Z') }),
      log: silentLogger(),
    });
    scheduler.start();
    await clock.advance(60_000);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger: 'night-window', maxTasks: 2, until: new Date('2026-01-16T01:00:00Z') });
    await scheduler.stop();
  });
});

describe('night scheduler and the night plan', () => {
  it('starts no second session while nothing queued fits the time left, until the queue changes or the next window', async () => {
    // 23:00 Berlin: the window is open. The session finds that neither queued task fits and ends so.
    const clock = createManualClock('2026-01-15T22:00:00Z');
    let queue = 2;
    const sessions: { at: string; until: string | null }[] = [];
    const states: SchedulerState[] = [];
    const scheduler = new NightScheduler({
      now: clock.now,
      setTimer: clock.setTimer,
      settings: () => nightSettings,
      queued: () => queue,
      runSession: (run) => {
        sessions.push({ at: clock.now().toISOString(), until: run.until?.toISOString() ?? null });
        // A short task added later fits and runs, as the real session would; the long ones never do.
        if (queue > 2) queue--;
        const endReason = heldBackReason(
          [
            {
              task: { title: 'rewrite the parser' },
              estimate: { tokens: 1, seconds: 36_000, basis: 'history', samples: 1 },
            },
          ],
          queue,
          run.until,
        );
        return Promise.resolve({
          id: `s${sessions.length}`,
          startedAt: clock.now().toISOString(),
          endedAt: clock.now().toISOString(),
          status: 'completed',
          trigger: run.trigger,
          stats: emptySessionStats(),
          endReason,
        });
      },
      log: silentLogger(),
      onState: (state) => states.push(state),
    });
    scheduler.start();
    await clock.advance(0);
    expect(sessions).toEqual([{ at: '2026-01-15T22:00:00.000Z', until: '2026-01-16T05:00:00.000Z' }]);
    // An hour of looks around: no session restarts only to end the same way.
    await clock.advance(3_600_000);
    expect(sessions).toHaveLength(1);
    expect(scheduler.state()).toMatchObject({
      phase: 'idle',
      note: '2 queued tasks do not fit the time left before 2026-01-16T05:00:00.000Z ("rewrite the parser" needs ~600 min); they wait for the next night',
    });
    // A task added to the queue gets its chance at the next look around.
    queue++;
    await clock.advance(60_000);
    expect(sessions.map((s) => s.at)).toEqual(['2026-01-15T22:00:00.000Z', '2026-01-15T23:01:00.000Z']);
    await clock.advance(3_600_000);
    expect(sessions).toHaveLength(2);
    // The next night's window starts afresh.
    await clock.advanceTo('2026-01-16T21:00:00Z');
    expect(sessions.map((s) => s.at)).toEqual([
      '2026-01-15T22:00:00.000Z',
      '2026-01-15T23:01:00.000Z',
      '2026-01-16T21:00:00.000Z',
    ]);
    await scheduler.stop();
  });
});
