// A time zone in which it is around noon right now. Specs that start `nocturnal serve` run its night
// scheduler too, with the default window 22:00–06:00 local time: in a zone where it is midday the
// scheduler stays idle whatever the hour CI runs at, and every session a spec sees is one it started.
export function middayTimeZone(now: Date = new Date()): string {
  // The local hour is UTC + offset; pick the offset that makes it 12. Etc/GMT zones count the sign
  // the other way round (Etc/GMT-3 is UTC+3), and exist from UTC-12 to UTC+14.
  let offset = 12 - now.getUTCHours();
  if (offset < -12) offset += 24;
  if (offset > 14) offset -= 24;
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}
