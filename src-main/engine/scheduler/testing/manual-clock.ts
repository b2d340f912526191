// A clock that moves only when a test says so: `now` and `setTimer` for the ports, and `advance`
// that walks time forward firing due timers in order, letting promises settle between them.
export interface ManualClock {
  now(): Date;
  setTimer(ms: number, callback: () => void): () => void;
  /** Moves time forward by `ms`, firing every timer due on the way at its own time. */
  advance(ms: number): Promise<void>;
  /** Moves time forward to `at` (see advance). */
  advanceTo(at: Date | string): Promise<void>;
  /** Timers waiting to fire. */
  pending(): number;
}

export function createManualClock(start: Date | string): ManualClock {
  let current = new Date(start).getTime();
  let nextId = 0;
  const timers = new Map<number, { at: number; callback: () => void }>();

  const settle = async () => {
    // Several rounds: a fired timer may start async work that schedules the next timer.
    for (let i = 0; i < 20; i++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const clock: ManualClock = {
    now: () => new Date(current),
    setTimer(ms, callback) {
      const id = nextId++;
      timers.set(id, { at: current + Math.max(0, ms), callback });
      return () => timers.delete(id);
    },
    async advance(ms) {
      const target = current + ms;
      await settle();
      for (;;) {
        let due: [number, { at: number; callback: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= target && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        current = Math.max(current, due[1].at);
        due[1].callback();
        await settle();
      }
      current = target;
      await settle();
    },
    advanceTo(at) {
      return clock.advance(new Date(at).getTime() - current);
    },
    pending: () => timers.size,
  };
  return clock;
}
