// `session:start {until: "HH:MM"}`: the next moment the configured zone's wall clock shows that time
// (today if it is still ahead, else tomorrow), like `nocturnal run --until`.
import { minuteOfDayInZone, parseClockTime } from '../../../src-shared/night-window';

export function nextWallClockTime(time: string, now: Date, timeZone: string): Date {
  const minutesAhead = (parseClockTime(time) - minuteOfDayInZone(now, timeZone) + 1440) % 1440 || 1440;
  const at = new Date(now.getTime() + minutesAhead * 60_000);
  at.setSeconds(0, 0);
  return at;
}
