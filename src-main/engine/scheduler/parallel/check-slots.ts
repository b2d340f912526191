// Checks of parallel attempts queue for the cores the resource gate allows: a small async semaphore,
// at most K check runs at a time, served first come, first served. The model runs on its own threads
// (shared through the provider's sequences); the checks are the part that competes for CPU.
import type { CheckRunner } from '../attempt-context';

export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new Error(`a semaphore needs a positive integer limit, got ${limit}`);
  }

  get running(): number {
    return this.active;
  }

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so `active` never dips while others wait.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

/**
 * How many check runs may go at once: the cores the gate lets the session use
 * (safety.max_cpu_percent of them, at least one), never more than there are attempts.
 */
export function checkSlotsFor(cores: number, maxCpuPercent: number, attempts: number): number {
  const allowed = Math.floor((cores * maxCpuPercent) / 100);
  return Math.max(1, Math.min(attempts, allowed));
}

/** The same checks, each run waiting for a slot. */
export function queuedChecks(checks: CheckRunner, slots: Semaphore): CheckRunner {
  return { run: (input) => slots.use(() => checks.run(input)) };
}
