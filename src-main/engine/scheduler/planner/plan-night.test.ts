import { describe, expect, it } from 'vitest';
import { estimateTask, median, prior } from './estimate-task';
import type { PastAttempt } from './estimate-task';
import { measuredSpeed, planNight, priorTokensPerSecond } from './plan-night';
import type { QueuedTask } from './plan-night';

const past = (over: Partial<PastAttempt>): PastAttempt => ({
  workspaceId: 'w1',
  executor: 'direct',
  cycles: 0,
  completionTokens: 1000,
  durationMs: 100_000,
  modelMs: 40_000,
  ...over,
});

describe('estimateTask', () => {
  it('uses the medians of the same workspace and executor: tokens per pass × expected passes, plus the time outside the model', () => {
    const history = [
      past({ cycles: 0, completionTokens: 1000, durationMs: 100_000, modelMs: 40_000 }), // 1000/pass, 60 s outside
      past({ cycles: 1, completionTokens: 3000, durationMs: 200_000, modelMs: 120_000 }), // 1500/pass, 80 s outside
      past({ cycles: 1, completionTokens: 4000, durationMs: 300_000, modelMs: 200_000 }), // 2000/pass, 100 s outside
      past({ workspaceId: 'w2', completionTokens: 99_000 }), // another workspace: ignored
      past({ executor: 'spec', completionTokens: 50_000 }), // another executor: ignored while same-executor history exists
    ];
    // passes: median(1, 2, 2) = 2; per pass: median(1000, 1500, 2000) = 1500 → 3000 tokens; at 10 tok/s 300 s + 80 s.
    expect(estimateTask({ workspaceId: 'w1', executor: 'direct' }, history, 10)).toEqual({
      tokens: 3000,
      seconds: 380,
      basis: 'history',
      samples: 3,
    });
  });

  it('falls back to the workspace when the executor never ran there, and to the stated prior without any history', () => {
    const history = [past({ executor: 'direct', completionTokens: 2000, durationMs: 50_000, modelMs: 20_000 })];
    expect(estimateTask({ workspaceId: 'w1', executor: 'spec' }, history, 20)).toEqual({
      tokens: 2000,
      seconds: 130,
      basis: 'history',
      samples: 1,
    });
    expect(estimateTask({ workspaceId: 'new', executor: 'direct' }, history, 10)).toEqual({
      tokens: prior.completionTokensPerPass * prior.passes,
      seconds: (prior.completionTokensPerPass * prior.passes) / 10 + prior.otherSeconds,
      basis: 'prior',
      samples: 0,
    });
  });

  it('refuses a speed that is not positive instead of planning with infinite time', () => {
    expect(() => estimateTask({ workspaceId: 'w1', executor: 'direct' }, [], 0)).toThrow(
      /tokensPerSecond must be positive, got 0/,
    );
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe('planNight', () => {
  const now = new Date('2026-11-30T22:00:00Z');
  const task = (id: string, priority: QueuedTask['priority'], createdAt: string, workspaceId = 'w1'): QueuedTask => ({
    id,
    title: `task ${id}`,
    priority,
    executor: 'direct',
    workspaceId,
    createdAt,
  });
  // Each w1 task: 1000 tokens at 10 tok/s = 100 s + 60 s outside the model = 160 s.
  const history = [past({})];
  const speed = { tokensPerSecond: 10, contextSize: 4096, basis: 'measured over the last 3 call(s) of m' };

  it('orders by priority, then age, and says how many fit tonight and how many wait', () => {
    const plan = planNight({
      queue: [
        task('a', 'low', '2026-11-01'),
        task('b', 'high', '2026-11-03'),
        task('c', 'high', '2026-11-02'),
        task('d', 'medium', '2026-11-01'),
      ],
      history,
      speed,
      now,
      windowStart: new Date('2026-11-30T21:00:00Z'),
      windowEnd: new Date(now.getTime() + 3 * 160_000 + 1000), // room for three
    });
    expect(plan.tasks.map((t) => [t.taskId, t.fits, t.startsAt])).toEqual([
      ['c', true, '2026-11-30T22:00:00.000Z'],
      ['b', true, '2026-11-30T22:02:40.000Z'],
      ['d', true, '2026-11-30T22:05:20.000Z'],
      ['a', false, null],
    ]);
    expect(plan.summary).toBe('3 of 4 tasks fit tonight; 1 waits for tomorrow');
    expect(plan.fitting).toBe(3);
    expect(plan.windowStart).toBe(now.toISOString());
    expect(plan.tasks[0]).toMatchObject({ tokens: 1000, minutes: 2.7, basis: 'history', samples: 1 });
  });

  it('a task that ends exactly at the window end fits; one second more does not, and it does not block a shorter one behind it', () => {
    const exact = planNight({
      queue: [task('a', 'high', '1')],
      history,
      speed,
      now,
      windowStart: now,
      windowEnd: new Date(now.getTime() + 160_000),
    });
    expect(exact.tasks.map((t) => t.fits)).toEqual([true]);
    expect(exact.summary).toBe('the 1 task fits tonight');
    // 'big' is a prior estimate in a new workspace: 2250 tokens / 10 + 90 s = 315 s, too long for 200 s left.
    const plan = planNight({
      queue: [task('big', 'high', '1', 'new'), task('small', 'high', '2')],
      history,
      speed,
      now,
      windowStart: now,
      windowEnd: new Date(now.getTime() + 200_000),
    });
    expect(plan.tasks.map((t) => [t.taskId, t.fits, t.basis])).toEqual([
      ['small', true, 'history'],
      ['big', false, 'prior'],
    ]);
    expect(plan.summary).toBe('1 of 2 tasks fit tonight; 1 waits for tomorrow');
  });

  it('plans a window that has not opened yet from its start', () => {
    const start = new Date('2026-12-01T22:00:00Z');
    const plan = planNight({
      queue: [task('a', 'low', '1')],
      history,
      speed,
      now,
      windowStart: start,
      windowEnd: new Date(start.getTime() + 3_600_000),
      nightLabel: 'on Dec 1',
    });
    expect(plan.tasks[0]?.startsAt).toBe(start.toISOString());
    expect(plan.summary).toBe('the 1 task fits on Dec 1');
  });
});

describe('measuredSpeed', () => {
  it("divides the generated tokens by the calls' time, and states the prior when nothing was measured", () => {
    expect(
      measuredSpeed(
        [
          { completionTokens: 300, durationMs: 10_000 },
          { completionTokens: 100, durationMs: 10_000 },
        ],
        'm.gguf',
        8192,
      ),
    ).toEqual({
      tokensPerSecond: 20,
      contextSize: 8192,
      basis: 'measured over the last 2 call(s) of m.gguf',
    });
    expect(measuredSpeed([], 'm.gguf', 4096)).toEqual({
      tokensPerSecond: priorTokensPerSecond,
      contextSize: 4096,
      basis: `prior: ${priorTokensPerSecond} tok/s (no call of m.gguf measured yet)`,
    });
  });
});
