// What the host provides to the engine (DESIGN §4): the Electron app, the CLI and tests each supply
// their own, so the same engine runs everywhere without importing any of them.
export interface EngineNotification {
  title: string;
  body: string;
  /** What the notification is about, so the host can decide to show it (config notifications.*). */
  kind: 'session_end' | 'review_waiting' | 'failures' | 'budget_alerts';
}

export interface EnginePorts {
  now: () => Date;
  notify: (notification: EngineNotification) => void;
  /** Keeps the machine awake while a session runs; returns the release function. */
  preventSleep: (reason: string) => () => void;
}

export function headlessPorts(overrides: Partial<EnginePorts> = {}): EnginePorts {
  return {
    now: () => new Date(),
    notify: () => undefined,
    preventSleep: () => () => undefined,
    ...overrides,
  };
}
