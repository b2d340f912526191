// A ResourceSampler that answers what a test sets, for conditions the machine cannot produce on
// demand (a battery, a nearly full disk, a saturated CPU). Each CPU read takes the next scripted
// value (the last one repeats), so tests can script a spike followed by a calm window.
import type { PowerState, ResourceSampler } from './resource-sampler';

export interface ScriptedSampler extends ResourceSampler {
  cpu: number[];
  memory: number;
  disk: Record<string, number>;
  powerState: PowerState;
  /** Names of the measurements that throw. */
  failing: Set<'cpu' | 'memory' | 'disk' | 'power'>;
  cpuReads: number;
}

export function scriptedSampler(
  initial: Partial<Pick<ScriptedSampler, 'cpu' | 'memory' | 'disk' | 'powerState'>> = {},
): ScriptedSampler {
  const sampler: ScriptedSampler = {
    cpu: initial.cpu ?? [10],
    memory: initial.memory ?? 40,
    disk: initial.disk ?? {},
    powerState: initial.powerState ?? { hasBattery: false, onAc: true },
    failing: new Set(),
    cpuReads: 0,
    async cpuPercent() {
      if (sampler.failing.has('cpu')) throw new Error('no /proc/stat');
      const value = sampler.cpu[Math.min(sampler.cpuReads, sampler.cpu.length - 1)] ?? 0;
      sampler.cpuReads++;
      return value;
    },
    async memoryPercent() {
      if (sampler.failing.has('memory')) throw new Error('no meminfo');
      return sampler.memory;
    },
    async freeDiskGb(path) {
      if (sampler.failing.has('disk')) throw new Error(`ENOENT: ${path}`);
      return sampler.disk[path] ?? 500;
    },
    async power() {
      if (sampler.failing.has('power')) throw new Error('no power supply class');
      return sampler.powerState;
    },
  };
  return sampler;
}
