// One child process started per turn of the event loop, across the whole engine. Node starts a child
// by forking the engine's process on the main thread and waiting for the exec: 10–30 ms here for a
// process of the engine's size, during which nothing else runs. Two processes started in the same turn
// (a git exit handled in the poll phase and another git started from a setImmediate, or two attempts'
// stages at once) stall the loop for both forks back to back; with a turn between them, the timers and
// the I/O that arrived meanwhile (a UI request, another process's exit) run in between
// (bench/event-loop.ts). The wait is a loop turn, well under a millisecond when nothing else is queued.
import { nextTurn } from './next-turn';

let free: Promise<void> = Promise.resolve();

/**
 * Resolves when this caller may start its process: at once when no other process was started in the
 * current or the previous turn, else after a whole turn since the last one. The caller must start its
 * process before it next yields to the event loop (promise continuations do not yield).
 */
export function takeForkTurn(): Promise<void> {
  const previous = free;
  let release: () => void = () => undefined;
  free = new Promise((resolve) => (release = resolve));
  return previous.then(() => {
    void nextTurn().then(release);
  });
}
