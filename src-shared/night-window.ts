// Night-window math (DESIGN §1: default 22:00–06:00 local time). Pure: the caller supplies the clock
// reading already converted to minutes since midnight in the configured zone.
export interface NightWindow {
  /** Minutes since midnight. */
  start: number;
  end: number;
}

export function parseClockTime(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`expected "HH:MM", got ${JSON.stringify(value)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

export function nightWindow(startTime: string, endTime: string): NightWindow {
  return { start: parseClockTime(startTime), end: parseClockTime(endTime) };
}

/** Whether a minute of the day lies in the window; a window may cross midnight (22:00–06:00). */
export function isInWindow(window: NightWindow, minuteOfDay: number): boolean {
  if (window.start === window.end) return true; // a 24-hour window
  if (window.start < window.end) return minuteOfDay >= window.start && minuteOfDay < window.end;
  return minuteOfDay >= window.start || minuteOfDay < window.end;
}

/** Minutes from `minuteOfDay` until the window next opens (0 when inside it). */
export function minutesUntilOpen(window: NightWindow, minuteOfDay: number): number {
  if (isInWindow(window, minuteOfDay)) return 0;
  return (window.start - minuteOfDay + 1440) % 1440;
}

/** Minutes from `minuteOfDay` until the window closes (0 when outside it). */
export function minutesUntilClose(window: NightWindow, minuteOfDay: number): number {
  if (!isInWindow(window, minuteOfDay)) return 0;
  if (window.start === window.end) return 1440;
  return (window.end - minuteOfDay + 1440) % 1440 || 1440;
}

/**
 * Minutes since midnight of `date` on the wall clock of `timeZone` (`scheduler.timezone`): "local" is
 * the machine's zone, anything else an IANA zone the config schema has already validated.
 */
export function minuteOfDayInZone(date: Date, timeZone: string): number {
  if (timeZone === 'local') return date.getHours() * 60 + date.getMinutes();
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return hour * 60 + minute;
}
