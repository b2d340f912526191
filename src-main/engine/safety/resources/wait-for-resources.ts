// What a session does when the gate says no: wait and look again every `scheduler.check_interval_s`
// instead of ending the night — a backup job or a video call at 23:00 should delay the night, not
// cancel it. The wait ends when the gate lets work start, when the session is stopped, or at the
// deadline (the session's end time), whichever comes first. The timer exists only while paused.
import type { ResourceGate } from './resource-gate';

export interface WaitForResourcesOptions {
  gate: Pick<ResourceGate, 'check'>;
  /** Seconds between checks while paused (`scheduler.check_interval_s`). */
  intervalS: number;
  signal?: AbortSignal | undefined;
  /** Give up waiting at this time (the session's `until` / end of the night window). */
  deadline?: Date | undefined;
  now?: () => Date;
  /** Called when a pause starts, and again whenever its reason changes. */
  onPause?: (reason: string) => void;
  /** Called when work may start again after a pause. */
  onResume?: (pausedMs: number) => void;
}

export type WaitForResourcesResult =
  /** Work may start; `reasons` lists what held it back, empty when nothing did. */
  | { kind: 'ready'; reasons: string[]; pausedMs: number }
  | { kind: 'aborted'; reasons: string[] }
  | { kind: 'deadline'; reasons: string[] };

export async function waitForResources(options: WaitForResourcesOptions): Promise<WaitForResourcesResult> {
  const now = options.now ?? (() => new Date());
  const started = now().getTime();
  const reasons: string[] = [];
  for (;;) {
    if (options.signal?.aborted) return { kind: 'aborted', reasons };
    const reason = await options.gate.check();
    if (reason === null) {
      const pausedMs = now().getTime() - started;
      if (reasons.length > 0) options.onResume?.(pausedMs);
      return { kind: 'ready', reasons, pausedMs: reasons.length > 0 ? pausedMs : 0 };
    }
    if (reasons.at(-1) !== reason) {
      reasons.push(reason);
      options.onPause?.(reason);
    }
    if (options.deadline && now() >= options.deadline) return { kind: 'deadline', reasons };
    const waitMs = Math.max(
      0,
      Math.min(options.intervalS * 1000, options.deadline ? options.deadline.getTime() - now().getTime() : Infinity),
    );
    if (!(await sleep(waitMs, options.signal))) return { kind: 'aborted', reasons };
  }
}

/** Resolves true after `ms`, or false as soon as the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
