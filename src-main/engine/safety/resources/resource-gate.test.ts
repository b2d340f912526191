import { describe, expect, it } from 'vitest';
import { safetySectionSchema } from '../../../../src-shared/config/schema';
import { silentLogger } from '../../log/logger';
import { ResourceGate } from './resource-gate';
import { scriptedSampler } from './scripted-sampler';

const safety = safetySectionSchema.parse({
  max_cpu_percent: 90,
  max_memory_percent: 85,
  min_free_disk_gb: 2,
  pause_on_battery: true,
});
const gateWith = (sampler = scriptedSampler(), overrides: Partial<typeof safety> = {}) =>
  new ResourceGate({
    safety: { ...safety, ...overrides },
    sampler,
    diskPaths: ['/home/u/.nocturnal', '/home/u/code/app'],
    log: silentLogger(),
  });

describe('ResourceGate', () => {
  it('lets work start when every measurement is within its limit', async () => {
    const sampler = scriptedSampler({ cpu: [35], memory: 60 });
    const gate = gateWith(sampler);
    expect(await gate.check()).toBeNull();
    expect(sampler.cpuReads).toBe(1);
    expect(gate.peaks()).toEqual({ peakCpuPercent: 35, peakMemoryPercent: 60 });
  });

  it('pauses for CPU only on a sustained load: a spike followed by a calm window passes', async () => {
    const spike = scriptedSampler({ cpu: [99, 40] });
    expect(await gateWith(spike).check()).toBeNull();
    expect(spike.cpuReads).toBe(2);

    const busy = scriptedSampler({ cpu: [97, 96.6] });
    const gate = gateWith(busy);
    expect(await gate.check()).toBe('CPU at 97% is above safety.max_cpu_percent 90');
    expect(gate.peaks().peakCpuPercent).toBe(97);
  });

  it('shows a decimal where rounding would hide that the limit is exceeded', async () => {
    expect(await gateWith(scriptedSampler({ cpu: [90.4] })).check()).toBe(
      'CPU at 90.4% is above safety.max_cpu_percent 90',
    );
  });

  it('pauses on memory above the limit, naming the setting and the value', async () => {
    expect(await gateWith(scriptedSampler({ memory: 91.2 })).check()).toBe(
      'memory at 91% is above safety.max_memory_percent 85',
    );
  });

  it('pauses when a watched file system runs low, naming which', async () => {
    const sampler = scriptedSampler({ disk: { '/home/u/code/app': 1.25 } });
    expect(await gateWith(sampler).check()).toBe(
      'free disk at 1.3 GB on the file system of /home/u/code/app is below safety.min_free_disk_gb 2',
    );
  });

  it('pauses on battery when configured, not on mains power, not without a battery, and not when disabled', async () => {
    const onBattery = scriptedSampler({ powerState: { hasBattery: true, onAc: false } });
    expect(await gateWith(onBattery).check()).toBe('running on battery power (safety.pause_on_battery is on)');
    expect(await gateWith(onBattery, { pause_on_battery: false }).check()).toBeNull();
    expect(await gateWith(scriptedSampler({ powerState: { hasBattery: true, onAc: true } })).check()).toBeNull();
    expect(await gateWith(scriptedSampler({ powerState: { hasBattery: false, onAc: true } })).check()).toBeNull();
  });

  it('names every broken limit at once', async () => {
    const sampler = scriptedSampler({ cpu: [100], memory: 99, powerState: { hasBattery: true, onAc: false } });
    expect(await gateWith(sampler).check()).toBe(
      'running on battery power (safety.pause_on_battery is on); memory at 99% is above safety.max_memory_percent 85; CPU at 100% is above safety.max_cpu_percent 90',
    );
  });

  it('recovers: the same gate says go once the load is gone, and keeps the peaks', async () => {
    const sampler = scriptedSampler({ cpu: [98], memory: 95 });
    const gate = gateWith(sampler);
    expect(await gate.check()).toMatch(/memory at 95%.*CPU at 98%/);
    sampler.cpu = [12];
    sampler.cpuReads = 0;
    sampler.memory = 50;
    expect(await gate.check()).toBeNull();
    expect(gate.peaks()).toEqual({ peakCpuPercent: 98, peakMemoryPercent: 95 });
  });

  it('does not hold work back for a measurement it cannot take', async () => {
    const sampler = scriptedSampler({ powerState: { hasBattery: true, onAc: false } });
    sampler.failing = new Set(['cpu', 'memory', 'disk', 'power']);
    const gate = gateWith(sampler);
    expect(await gate.check()).toBeNull();
    expect(gate.peaks()).toEqual({ peakCpuPercent: null, peakMemoryPercent: null });
  });

  it('has no peaks before its first check', () => {
    expect(gateWith().peaks()).toEqual({ peakCpuPercent: null, peakMemoryPercent: null });
  });
});
