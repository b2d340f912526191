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
  const parts = zoneFormatter(timeZone).formatToParts(date);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? '0');
  const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? '0');
  return hour * 60 + minute;
}

// Building an Intl formatter costs far more than using one; the scheduler reads the clock often.
const formatters = new Map<string, Intl.DateTimeFormat>();
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The next whole minute after `from` at which the window opens (if `from` is outside it) or closes
 * (if inside), read on the wall clock of `timeZone`. Wall-clock arithmetic alone is wrong on DST
 * nights (22:00–06:00 lasts 7 real hours in spring and 9 in autumn), so the estimate is checked
 * against the real clock minute by minute around it. Null for a 24-hour window, which never changes.
 */
export function nextWindowChange(window: NightWindow, from: Date, timeZone: string): Date | null {
  if (window.start === window.end) return null;
  const minute = minuteOfDayInZone(from, timeZone);
  const inside = isInWindow(window, minute);
  const estimate = inside ? minutesUntilClose(window, minute) : minutesUntilOpen(window, minute);
  const base = Math.floor(from.getTime() / 60_000) * 60_000;
  // Offsets change by at most 90 minutes at once, so the real boundary lies within that of the estimate.
  const first = Math.max(1, estimate - 90);
  for (let i = first; i <= estimate + 26 * 60; i++) {
    const at = new Date(base + i * 60_000);
    if (isInWindow(window, minuteOfDayInZone(at, timeZone)) !== inside) return at;
  }
  return null;
}
