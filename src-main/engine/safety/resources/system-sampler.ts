// The real ResourceSampler. Memory and battery come from systeminformation, CPU load from two
// readings of the CPU time counters (cpu-times.ts, which never blocks the loop); free disk comes from
// statfs(2) on the path itself (Node's fs.statfs), which asks the kernel about exactly the file
// system holding it instead of matching mount points in `df` output. Nothing runs between calls:
// the only timer is the CPU window inside a call, so an idle app samples nothing.
// systeminformation is imported at the first reading: a CLI command that never gates on resources
// (`status`, `task list`) does not load it.
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadPercentBetween, readCpuTimes } from './cpu-times';
import type { PowerState, ResourceSampler } from './resource-sampler';
import type * as SystemInformationModule from 'systeminformation';

export interface SystemSamplerOptions {
  /** How long the CPU is watched per sample: read the counters, wait this long, read again. */
  cpuWindowMs?: number;
}

const DEFAULT_CPU_WINDOW_MS = 1_000;
const MIN_CPU_WINDOW_MS = 250;

export function createSystemSampler(options: SystemSamplerOptions = {}): ResourceSampler {
  const windowMs = Math.max(MIN_CPU_WINDOW_MS, options.cpuWindowMs ?? DEFAULT_CPU_WINDOW_MS);
  return {
    async cpuPercent() {
      const before = await readCpuTimes();
      await new Promise((done) => setTimeout(done, windowMs));
      return clampPercent(loadPercentBetween(before, await readCpuTimes()));
    },
    async memoryPercent() {
      const memory = await (await systemInformation()).mem();
      return memory.total > 0 ? clampPercent(((memory.total - memory.available) / memory.total) * 100) : 0;
    },
    async freeDiskGb(path) {
      const stats = await statfs(await existingAncestor(path));
      return (stats.bavail * stats.bsize) / 1e9;
    },
    async power(): Promise<PowerState> {
      const state = await (await systemInformation()).battery();
      return { hasBattery: state.hasBattery, onAc: !state.hasBattery || state.acConnected || state.isCharging };
    },
  };
}

type SystemInformation = typeof SystemInformationModule;

/**
 * systeminformation is CommonJS: its functions are certain to be on the module's default export (the
 * exports object) under every loader — Node's, and the bundled CLI's, whose namespace for a CommonJS
 * module carries no named exports.
 */
async function systemInformation(): Promise<SystemInformation> {
  const loaded = (await import('systeminformation')) as SystemInformation & { default?: SystemInformation };
  return loaded.default ?? loaded;
}

function clampPercent(value: number): number {
  return Number.isFinite(value) ? Math.min(100, Math.max(0, value)) : 0;
}

/** A worktree folder may not exist yet; its nearest existing parent is on the same file system. */
async function existingAncestor(path: string): Promise<string> {
  let current = path;
  for (;;) {
    try {
      await statfs(current);
      return current;
    } catch (error) {
      const parent = dirname(current);
      if (parent === current || (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      current = parent;
    }
  }
}
