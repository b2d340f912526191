// What the host provides to the engine (DESIGN §4): the Electron app, the CLI and tests each supply
// their own, so the same engine runs everywhere without importing any of them.
export interface EngineNotification {
  title: string;
  body: string;
  /** What the notification is about, so the host can decide to show it (config notifications.*). */
  kind: 'session_end' | 'review_waiting' | 'failures' | 'budget_alerts';
  /** What clicking it does: open that session's morning report (budget alerts have none). */
  action?: { type: 'open-report'; sessionId: string };
}

export interface EnginePorts {
  now: () => Date;
  notify: (notification: EngineNotification) => void;
  /** Keeps the machine awake while a session runs; returns the release function. */
  preventSleep: (reason: string) => () => void;
  /**
   * Calls `callback` once after `ms` and returns the cancel function. The scheduler waits only
   * through this seam, so tests drive a whole night (DST included) on a clock they move themselves.
   */
  setTimer: (ms: number, callback: () => void) => () => void;
}

export function headlessPorts(overrides: Partial<EnginePorts> = {}): EnginePorts {
  return {
    now: () => new Date(),
    notify: () => undefined,
    preventSleep: () => () => undefined,
    setTimer: realTimer,
    ...overrides,
  };
}

function realTimer(ms: number, callback: () => void): () => void {
  // setTimeout fires at once beyond 2^31-1 ms; no caller waits that long, but never spin.
  const timer = setTimeout(callback, Math.min(Math.max(0, ms), 2_147_483_647));
  return () => clearTimeout(timer);
}
