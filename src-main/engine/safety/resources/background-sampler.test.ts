// The background sampler: the gate reads the latest CPU reading without watching the CPU itself, the
// timer runs only between a session's first reading and `stop()`, and a confirmation reading waits
// for the next window. Fake timers drive the interval; the CPU counters are scripted.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createBackgroundSampler } from './background-sampler';
import type { CpuTimes } from './cpu-times';
import { ResourceGate } from './resource-gate';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

/** Counters that advance by 100 units per read, `busy` of them busy. */
function scriptedCounters(busy: number[]) {
  let reads = 0;
  let times: CpuTimes = { idle: 0, total: 0 };
  const readCpu = async (): Promise<CpuTimes> => {
    const share = busy[Math.min(reads, busy.length - 1)] ?? 0;
    reads++;
    times = { idle: times.idle + (100 - share), total: times.total + 100 };
    return times;
  };
  return { readCpu, reads: () => reads };
}

const inner = {
  memoryPercent: async () => 40,
  freeDiskGb: async () => 500,
  power: async () => ({ hasBattery: false, onAc: true }),
};

describe('createBackgroundSampler', () => {
  it('answers from the latest background reading at once, and samples nothing after stop()', async () => {
    const counters = scriptedCounters([0, 30, 70]);
    const sampler = createBackgroundSampler({
      inner,
      intervalMs: 2000,
      readCpu: counters.readCpu,
      now: () => Date.now(),
    });
    expect(sampler.running()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);

    // The session's first reading covers the minimum window from the start.
    const first = sampler.cpuPercent();
    await vi.advanceTimersByTimeAsync(250);
    expect(await first).toBeCloseTo(30, 6);
    expect(sampler.running()).toBe(true);

    await vi.advanceTimersByTimeAsync(2000);
    const reads = counters.reads();
    // Read twice in a row (the gate before two tasks): the same reading, no new counter read.
    expect(await sampler.cpuPercent()).toBeCloseTo(70, 6);
    expect(await sampler.cpuPercent()).toBeCloseTo(70, 6);
    expect(counters.reads()).toBe(reads);

    sampler.stop();
    expect(sampler.running()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(counters.reads()).toBe(reads);
  });

  it('waits for the next window when asked to confirm a reading', async () => {
    const counters = scriptedCounters([0, 95, 20]);
    const sampler = createBackgroundSampler({
      inner,
      intervalMs: 2000,
      readCpu: counters.readCpu,
      now: () => Date.now(),
    });
    const start = sampler.cpuPercent();
    await vi.advanceTimersByTimeAsync(250);
    expect(await start).toBeCloseTo(95, 6);
    let confirmed: number | undefined;
    void sampler.nextCpuPercent?.().then((value) => (confirmed = value));
    await vi.advanceTimersByTimeAsync(1000);
    expect(confirmed).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    expect(confirmed).toBeCloseTo(20, 6);
    sampler.stop();
  });

  it('lets a gate confirm a spike with a later window and stops with the gate', async () => {
    const counters = scriptedCounters([0, 99, 99, 10]);
    const sampler = createBackgroundSampler({
      inner,
      intervalMs: 2000,
      readCpu: counters.readCpu,
      now: () => Date.now(),
    });
    const gate = new ResourceGate({
      safety: { max_cpu_percent: 90, max_memory_percent: 95, min_free_disk_gb: 1, pause_on_battery: false },
      sampler,
      diskPaths: ['/'],
    });
    const verdict = gate.check();
    // First window 99 (over the limit), the next one 99 too: the mean holds work back.
    await vi.advanceTimersByTimeAsync(2250);
    expect(await verdict).toContain('CPU at 99% is above safety.max_cpu_percent 90');
    gate.stop();
    expect(sampler.running()).toBe(false);
  });
});

describe('createBackgroundSampler in a process with nothing else to do', () => {
  it('keeps Node alive while a reading is awaited (a CLI session must not exit half-started)', async () => {
    vi.useRealTimers();
    const module = path.join(import.meta.dirname, 'background-sampler.ts');
    const script = [
      `const { createBackgroundSampler } = await import(${JSON.stringify(module)});`,
      'const inner = { memoryPercent: async () => 1, freeDiskGb: async () => 1, power: async () => ({ hasBattery: false, onAc: true }) };',
      'const sampler = createBackgroundSampler({ inner, intervalMs: 300 });',
      'const first = await sampler.cpuPercent();',
      'const next = await sampler.nextCpuPercent();',
      "console.log('readings', typeof first, typeof next);",
      'sampler.stop();',
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { timeout: 30_000 },
    );
    expect(stdout.trim()).toBe('readings number number');
  });
});
