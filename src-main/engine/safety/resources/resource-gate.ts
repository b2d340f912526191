// Whether the machine has room for new work (DESIGN §7 "Resources"): before each task the scheduler
// asks `check()`, which reads the sampler (in the engine a background one, ./background-sampler,
// stopped with the gate at the session's end, so a day with no session costs nothing) and answers
// null (go) or one sentence per limit broken, naming the setting and the measured value.
// Work already running is never interrupted; only new work waits.
//
// CPU is judged on an average, never one spike: the latest window first, and only when that is over
// the limit a second, later one, the verdict going by the mean of both. A failed measurement is
// logged and counts as "fine": a broken battery driver must not stop every night.
import type { SafetyConfig } from '../../../../src-shared/config/schema';
import type { Logger } from '../../log/logger';
import type { ResourceSampler } from './resource-sampler';

export type ResourceLimits = Pick<
  SafetyConfig,
  'max_cpu_percent' | 'max_memory_percent' | 'min_free_disk_gb' | 'pause_on_battery'
>;

export interface ResourcePeaks {
  peakCpuPercent: number | null;
  peakMemoryPercent: number | null;
}

export interface ResourceGateOptions {
  safety: ResourceLimits;
  sampler: ResourceSampler;
  /** Folders whose file systems need `min_free_disk_gb`: the engine home (worktrees live there) and the workspaces. */
  diskPaths: readonly string[];
  log?: Logger;
}

export class ResourceGate {
  private peakCpu: number | null = null;
  private peakMemory: number | null = null;

  constructor(private readonly options: ResourceGateOptions) {}

  /** null when new work may start; otherwise why not, one sentence per limit, joined by "; ". */
  async check(): Promise<string | null> {
    const { safety } = this.options;
    const reasons: string[] = [];

    if (safety.pause_on_battery) {
      const power = await this.measure('power', () => this.options.sampler.power());
      if (power !== null && power.hasBattery && !power.onAc)
        reasons.push('running on battery power (safety.pause_on_battery is on)');
    }

    const memory = await this.measure('memory', () => this.options.sampler.memoryPercent());
    if (memory !== null) {
      this.peakMemory = Math.max(this.peakMemory ?? 0, memory);
      if (memory > safety.max_memory_percent)
        reasons.push(
          `memory at ${shown(memory, safety.max_memory_percent)}% is above safety.max_memory_percent ${safety.max_memory_percent}`,
        );
    }

    for (const path of new Set(this.options.diskPaths)) {
      const free = await this.measure(`free disk at ${path}`, () => this.options.sampler.freeDiskGb(path));
      if (free !== null && free < safety.min_free_disk_gb) {
        reasons.push(
          `free disk at ${free.toFixed(1)} GB on the file system of ${path} is below safety.min_free_disk_gb ${safety.min_free_disk_gb}`,
        );
      }
    }

    const cpu = await this.averageCpu();
    if (cpu !== null && cpu > safety.max_cpu_percent)
      reasons.push(
        `CPU at ${shown(cpu, safety.max_cpu_percent)}% is above safety.max_cpu_percent ${safety.max_cpu_percent}`,
      );

    return reasons.length === 0 ? null : reasons.join('; ');
  }

  /** The session is over: background sampling stops. */
  stop(): void {
    this.options.sampler.stop?.();
  }

  /** The highest CPU and memory use seen by any check since the gate was made (one per session). */
  peaks(): ResourcePeaks {
    return {
      peakCpuPercent: this.peakCpu === null ? null : percent(this.peakCpu),
      peakMemoryPercent: this.peakMemory === null ? null : percent(this.peakMemory),
    };
  }

  private async averageCpu(): Promise<number | null> {
    const sample = () => this.measure('CPU', () => this.options.sampler.cpuPercent());
    const first = await sample();
    if (first === null) return null;
    this.peakCpu = Math.max(this.peakCpu ?? 0, first);
    if (first <= this.options.safety.max_cpu_percent) return first;
    const sampler = this.options.sampler;
    const second = await this.measure('CPU', () =>
      sampler.nextCpuPercent ? sampler.nextCpuPercent() : sampler.cpuPercent(),
    );
    if (second === null) return first;
    this.peakCpu = Math.max(this.peakCpu, second);
    return (first + second) / 2;
  }

  private async measure<T>(what: string, read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (error) {
      this.options.log?.warn(
        { err: error instanceof Error ? error.message : String(error) },
        `could not measure ${what}; not holding work back for it`,
      );
      return null;
    }
  }
}

function percent(value: number): number {
  return Math.round(value);
}

/** Whole percent, unless rounding would make an over-the-limit value read as the limit itself. */
function shown(value: number, limit: number): string {
  return Math.round(value) > limit ? String(Math.round(value)) : value.toFixed(1);
}
