// Resource readings taken in the background while a session runs, so that the gate in front of each
// task reads the latest one at once instead of watching the CPU for a second every time (on a small
// repository that second was most of each task's time). The CPU counters are read every `intervalMs`
// by an unref'd timer, and the load is the busy share between two consecutive readings; memory and
// power are read when asked, reused for one interval. The timer starts with the first reading a
// session asks for and stops with `stop()` (the session's end): a day without a session samples
// nothing (DESIGN §2, lazy and quiet by day).
import type { CpuTimes } from './cpu-times';
import { loadPercentBetween, readCpuTimes } from './cpu-times';
import type { PowerState, ResourceSampler } from './resource-sampler';

export interface BackgroundSamplerOptions {
  /** Memory, disk and power come from here (the system sampler); its CPU window is not used. */
  inner: Pick<ResourceSampler, 'memoryPercent' | 'freeDiskGb' | 'power'>;
  /** Milliseconds between CPU counter readings (default 2 s). */
  intervalMs?: number;
  /** The shortest window the first reading of a session may cover (default 250 ms). */
  minWindowMs?: number;
  readCpu?: () => Promise<CpuTimes>;
  now?: () => number;
}

export interface BackgroundSampler extends ResourceSampler {
  /** Whether the timer is running (between a session's first reading and its end). */
  running(): boolean;
  stop(): void;
}

const DEFAULT_INTERVAL_MS = 2_000;
const DEFAULT_MIN_WINDOW_MS = 250;

export function createBackgroundSampler(options: BackgroundSamplerOptions): BackgroundSampler {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const minWindowMs = options.minWindowMs ?? DEFAULT_MIN_WINDOW_MS;
  const readCpu = options.readCpu ?? (() => readCpuTimes());
  const now = options.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<{ times: CpuTimes; at: number }> | undefined;
  let previous: CpuTimes | undefined;
  let latest: number | null = null;
  let waiters: { resolve: (value: number) => void; reject: (error: Error) => void }[] = [];
  const cached = new Map<string, { at: number; value: Promise<unknown> }>();

  const tick = async (): Promise<void> => {
    try {
      const times = await readCpu();
      if (previous !== undefined) {
        latest = loadPercentBetween(previous, times);
        const ready = waiters;
        waiters = [];
        for (const waiter of ready) waiter.resolve(latest);
      }
      previous = times;
    } catch (error) {
      const failed = waiters;
      waiters = [];
      for (const waiter of failed) waiter.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  const ensureStarted = (): Promise<{ times: CpuTimes; at: number }> => {
    if (started === undefined) {
      started = readCpu().then((times) => {
        previous = times;
        return { times, at: now() };
      });
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    }
    return started;
  };

  /** A reading reused for one interval: the gate asks several times in a row before each task. */
  const fresh = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    const hit = cached.get(key);
    if (hit !== undefined && now() - hit.at < intervalMs) return hit.value as Promise<T>;
    const value = read();
    cached.set(key, { at: now(), value });
    value.catch(() => cached.delete(key));
    return value;
  };

  return {
    async cpuPercent() {
      const first = await ensureStarted();
      if (latest !== null) return latest;
      // No interval has passed since the session's first reading: measure from that reading, over
      // at least the minimum window.
      const wait = first.at + minWindowMs - now();
      // Not unref'd: someone is waiting for this reading, and in a CLI process nothing else may be
      // keeping Node alive at this moment (it would exit with the session half-started).
      if (wait > 0) await new Promise((done) => setTimeout(done, wait));
      if (latest !== null) return latest;
      const times = await readCpu();
      // Also the start of the next background window, so no reading spans this one twice.
      latest = loadPercentBetween(first.times, times);
      previous = times;
      return latest;
    },
    async nextCpuPercent() {
      await ensureStarted();
      // The interval is unref'd (it must not keep an idle process alive); a caller waiting for the
      // next reading must, so a plain timer holds the process until the reading comes.
      const keepAlive = setTimeout(() => undefined, intervalMs * 2);
      return new Promise<number>((resolve, reject) => waiters.push({ resolve, reject })).finally(() =>
        clearTimeout(keepAlive),
      );
    },
    memoryPercent: () => fresh('memory', () => options.inner.memoryPercent()),
    freeDiskGb: (path) => fresh(`disk:${path}`, () => options.inner.freeDiskGb(path)),
    power: () => fresh<PowerState>('power', () => options.inner.power()),
    running: () => timer !== undefined,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      started = undefined;
      previous = undefined;
      latest = null;
      cached.clear();
      const pending = waiters;
      waiters = [];
      for (const waiter of pending) waiter.reject(new Error('the resource sampler stopped'));
    },
  };
}
