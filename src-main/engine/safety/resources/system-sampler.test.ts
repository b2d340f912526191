// Smoke test of the real sampler on this machine: plausible numbers, and a real gate with limits no
// machine can break lets work start.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../log/logger';
import { ResourceGate } from './resource-gate';
import { loadPercentBetween, parseProcStat, readCpuTimes } from './cpu-times';
import { createSystemSampler } from './system-sampler';

describe('CPU time counters', () => {
  it('parses the aggregate line of /proc/stat, iowait counted as idle', () => {
    const stat = 'cpu  100 5 50 800 40 3 2 0 0 0\ncpu0 50 2 25 400 20 1 1 0 0 0\nintr 1 2 3\n';
    expect(parseProcStat(stat)).toEqual({ idle: 840, total: 1000 });
    expect(() => parseProcStat('intr 1 2\n')).toThrow(/no aggregate cpu line/);
  });

  it('computes the busy share between two readings', () => {
    expect(loadPercentBetween({ idle: 840, total: 1000 }, { idle: 1140, total: 2000 })).toBe(70);
    expect(loadPercentBetween({ idle: 5, total: 10 }, { idle: 5, total: 10 })).toBe(0);
  });

  it('reads real counters on this machine, on Linux and through os.cpus() alike', async () => {
    for (const platform of ['linux', 'darwin'] as const) {
      const first = await readCpuTimes(platform);
      expect(first.total).toBeGreaterThan(first.idle);
      expect(first.idle).toBeGreaterThan(0);
    }
  });
});

describe('createSystemSampler', () => {
  const sampler = createSystemSampler({ cpuWindowMs: 300 });

  it('measures CPU, memory, free disk and power with plausible values', async () => {
    const cpu = await sampler.cpuPercent();
    expect(cpu).toBeGreaterThanOrEqual(0);
    expect(cpu).toBeLessThanOrEqual(100);
    const memory = await sampler.memoryPercent();
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThan(100);
    const free = await sampler.freeDiskGb(tmpdir());
    expect(free).toBeGreaterThan(0);
    // A folder that does not exist yet is measured on the file system that will hold it.
    expect(Math.abs((await sampler.freeDiskGb(join(tmpdir(), 'no-such', 'worktree'))) - free)).toBeLessThan(1);
    const power = await sampler.power();
    expect(typeof power.hasBattery).toBe('boolean');
    if (!power.hasBattery) expect(power.onAc).toBe(true);
  });

  it('feeds a real gate that lets work start under limits nothing can break', async () => {
    const gate = new ResourceGate({
      safety: { max_cpu_percent: 100, max_memory_percent: 100, min_free_disk_gb: 0, pause_on_battery: false },
      sampler,
      diskPaths: [tmpdir()],
      log: silentLogger(),
    });
    expect(await gate.check()).toBeNull();
    const peaks = gate.peaks();
    expect(peaks.peakCpuPercent).not.toBeNull();
    expect(peaks.peakMemoryPercent).toBeGreaterThan(0);
  });
});
