// How much of the machine one check may take besides time and output: how many processes (threads
// count too: the kernel caps tasks) and how much memory. A fork bomb or a runaway allocation in
// model-written code must end as a failed check, not as a frozen laptop.
//
// Two mechanisms, used together where each works (see docs/safety.md):
//   - a cgroup (v1 or v2) created for the run, with pids.max and a memory limit. Needs write access to
//     the cgroup tree (in practice: root). Caps everything in it, root included.
//   - RLIMIT_NPROC set inside bubblewrap's own user namespace. The kernel (5.14+) counts that limit
//     per user namespace, so it caps the sandbox alone; it is not enforced for real uid 0, which is
//     why root needs the cgroup.
import os from 'node:os';

export interface CheckLimits {
  /** Most tasks (processes and threads) the check may have at once. */
  maxProcesses: number;
  /** Most memory (RAM, and swap where the cgroup counts it) for the whole check; null: no cap. */
  maxMemoryBytes: number | null;
}

/** Room for parallel test runners, compilers and browsers; far below what freezes a machine. */
export const DEFAULT_MAX_CHECK_PROCESSES = 1024;

/** Three quarters of the machine's memory: a check may be big, but the desktop must survive it. */
export function defaultCheckLimits(totalMemoryBytes = os.totalmem()): CheckLimits {
  return { maxProcesses: DEFAULT_MAX_CHECK_PROCESSES, maxMemoryBytes: Math.floor(totalMemoryBytes * 0.75) };
}

export type LimitMechanism = 'cgroup' | 'rlimit' | 'none';

/** What a run actually got, so reports and tests can tell a capped check from an uncapped one. */
export interface AppliedLimits {
  processes: { mechanism: LimitMechanism; max: number | null };
  memory: { mechanism: 'cgroup' | 'none'; maxBytes: number | null };
  /** The check ran into the process cap (known only from a cgroup's counters). */
  processLimitHit: boolean;
  /** The kernel killed a process of the check for exceeding the memory cap. */
  memoryLimitHit: boolean;
}

/** RLIMIT_NPROC is counted per user namespace from Linux 5.14; before that it counts all of a user's processes. */
export function kernelCountsNprocPerUserNamespace(release = os.release()): boolean {
  const match = /^(\d+)\.(\d+)/.exec(release);
  if (match === null) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > 5 || (major === 5 && minor >= 14);
}

/** The note appended to a check's output when a cap stopped it, naming the limit. */
export function limitNote(limits: AppliedLimits): string {
  const notes: string[] = [];
  if (limits.processLimitHit)
    notes.push(
      `[the check reached the sandbox's process limit (${limits.processes.max} processes and threads); further forks failed]`,
    );
  if (limits.memoryLimitHit) {
    const gib = limits.memory.maxBytes === null ? '?' : (limits.memory.maxBytes / 1024 ** 3).toFixed(1);
    notes.push(`[the check reached the sandbox's memory limit (${gib} GiB); the kernel killed a process of it]`);
  }
  return notes.map((n) => `${n}\n`).join('');
}
