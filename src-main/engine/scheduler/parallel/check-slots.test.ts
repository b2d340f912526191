import { describe, expect, it } from 'vitest';
import { planVariants } from './attempt-variants';
import { checkSlotsFor, queuedChecks, Semaphore } from './check-slots';

describe('Semaphore and check slots', () => {
  it('lets at most K check runs go at once, the rest in arrival order', async () => {
    const slots = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const releases: Array<() => void> = [];
    const checks = queuedChecks(
      {
        run: async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise<void>((resolve) => releases.push(resolve));
          running--;
          return [];
        },
      },
      slots,
    );
    const runs = [0, 1, 2, 3].map((i) =>
      checks
        .run({ worktree: { path: `/w${i}`, gitDir: '/g', commonDir: '/g' } as never, checks: {} })
        .then(() => started.push(i)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(slots.running).toBe(2);
    expect(releases).toHaveLength(2);
    while (releases.length > 0 || started.length < 4) {
      releases.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(runs);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3]);
    expect(slots.running).toBe(0);
  });

  it('frees the slot when a check run throws', async () => {
    const slots = new Semaphore(1);
    await expect(slots.use(() => Promise.reject(new Error('tampered')))).rejects.toThrow('tampered');
    expect(await slots.use(() => Promise.resolve('next'))).toBe('next');
  });

  it('sizes the slots from the cores the gate allows, never more than the attempts, at least one', () => {
    expect(checkSlotsFor(2, 100, 3)).toBe(2);
    expect(checkSlotsFor(16, 80, 3)).toBe(3);
    expect(checkSlotsFor(2, 40, 3)).toBe(1);
    expect(checkSlotsFor(8, 50, 2)).toBe(2);
    expect(() => new Semaphore(0)).toThrow('a semaphore needs a positive integer limit, got 0');
  });
});

describe('planVariants', () => {
  it('keeps variant 0 as queued and varies temperature, then the executor on every third', () => {
    expect(planVariants(3, { temperature: 0.2, executor: 'direct' })).toEqual([
      { index: 0, temperature: 0.2, executor: 'direct', label: 'as queued (direct, temperature 0.2)' },
      { index: 1, temperature: 0.5, executor: 'direct', label: 'direct executor, temperature 0.5' },
      { index: 2, temperature: 0.8, executor: 'spec', label: 'spec executor, temperature 0.8' },
    ]);
    expect(planVariants(1, { temperature: 1.9, executor: 'spec' })).toEqual([
      { index: 0, temperature: 1.9, executor: 'spec', label: 'as queued (spec, temperature 1.9)' },
    ]);
    expect(planVariants(2, { temperature: 1.9, executor: 'spec' })[1]?.temperature).toBe(2);
    expect(() => planVariants(0, { temperature: 0.2, executor: 'direct' })).toThrow(
      'parallel.max_parallel_attempts must be a positive integer, got 0',
    );
  });
});
