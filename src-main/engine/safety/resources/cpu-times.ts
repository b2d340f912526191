// CPU time counters for the load sample, read without blocking the event loop. systeminformation's
// currentLoad() runs `cat /proc/stat | grep cpu` through execSync on Linux: a shell on the main
// thread for every sample, which bench/event-loop.ts measured as the largest synchronous stall of a
// session. Here Linux reads /proc/stat asynchronously; other systems use os.cpus() (a cheap call
// with no child process).
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';

export interface CpuTimes {
  /** Idle time (iowait counted as idle), in the counters' unit. */
  idle: number;
  total: number;
}

export async function readCpuTimes(platform: NodeJS.Platform = process.platform): Promise<CpuTimes> {
  if (platform === 'linux') {
    try {
      return parseProcStat(await readFile('/proc/stat', 'utf8'));
    } catch {
      // /proc may be hidden (some containers): fall through to os.cpus().
    }
  }
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    const { user, nice, sys, idle: cpuIdle, irq } = cpu.times;
    idle += cpuIdle;
    total += user + nice + sys + cpuIdle + irq;
  }
  return { idle, total };
}

/** The aggregate `cpu` line: user nice system idle iowait irq softirq steal (guest is inside user). */
export function parseProcStat(text: string): CpuTimes {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no aggregate cpu line');
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n)))
    throw new Error(`/proc/stat: unreadable cpu line ${JSON.stringify(line)}`);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { idle: idle + iowait, total: user + nice + system + idle + iowait + irq + softirq + steal };
}

/** Busy share between two readings, 0–100. */
export function loadPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  return Math.min(100, Math.max(0, (1 - (after.idle - before.idle) / total) * 100));
}
