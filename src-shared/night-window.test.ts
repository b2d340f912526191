import { describe, expect, it } from 'vitest';
import {
  isInWindow,
  minuteOfDayInZone,
  minutesUntilClose,
  minutesUntilOpen,
  nextWindowChange,
  nightStartedAt,
  nightWindow,
  parseClockTime,
} from './night-window';
import { decideFromScore } from './quality/decision';

describe('night window', () => {
  const night = nightWindow('22:00', '06:00');

  it.each([
    ['21:59', false],
    ['22:00', true],
    ['23:59', true],
    ['00:00', true],
    ['05:59', true],
    ['06:00', false],
    ['12:00', false],
  ])('at %s inside=%s for a window crossing midnight', (time, inside) => {
    expect(isInWindow(night, parseClockTime(time))).toBe(inside);
  });

  it('handles a same-day window and a 24-hour one', () => {
    const afternoon = nightWindow('13:00', '15:30');
    expect(isInWindow(afternoon, parseClockTime('14:00'))).toBe(true);
    expect(isInWindow(afternoon, parseClockTime('15:30'))).toBe(false);
    expect(isInWindow(nightWindow('00:00', '00:00'), 777)).toBe(true);
  });

  it('counts minutes until the window opens and closes', () => {
    expect(minutesUntilOpen(night, parseClockTime('21:00'))).toBe(60);
    expect(minutesUntilOpen(night, parseClockTime('07:00'))).toBe(15 * 60);
    expect(minutesUntilClose(night, parseClockTime('23:00'))).toBe(7 * 60);
    expect(minutesUntilClose(night, parseClockTime('12:00'))).toBe(0);
  });

  it('reads the wall clock of the configured time zone', () => {
    const instant = new Date('2026-01-15T21:30:00Z');
    expect(minuteOfDayInZone(instant, 'UTC')).toBe(21 * 60 + 30);
    expect(minuteOfDayInZone(instant, 'Asia/Tokyo')).toBe(6 * 60 + 30);
    expect(minuteOfDayInZone(instant, 'America/New_York')).toBe(16 * 60 + 30);
    expect(minuteOfDayInZone(instant, 'local')).toBe(instant.getHours() * 60 + instant.getMinutes());
  });

  it('refuses malformed times', () => {
    expect(() => parseClockTime('24:00')).toThrow(/HH:MM/);
  });
});

describe('nextWindowChange on DST nights (Europe/Berlin)', () => {
  const night = nightWindow('22:00', '06:00');
  const berlin = 'Europe/Berlin';

  it('spring forward: 22:00 CET to 06:00 CEST is seven real hours', () => {
    expect(nextWindowChange(night, new Date('2026-03-28T19:30:10Z'), berlin)?.toISOString()).toBe(
      '2026-03-28T21:00:00.000Z',
    );
    expect(nextWindowChange(night, new Date('2026-03-28T21:00:00Z'), berlin)?.toISOString()).toBe(
      '2026-03-29T04:00:00.000Z',
    );
  });

  it('fall back: 22:00 CEST to 06:00 CET is nine real hours', () => {
    expect(nextWindowChange(night, new Date('2026-10-24T12:00:00Z'), berlin)?.toISOString()).toBe(
      '2026-10-24T20:00:00.000Z',
    );
    expect(nextWindowChange(night, new Date('2026-10-24T20:00:00Z'), berlin)?.toISOString()).toBe(
      '2026-10-25T05:00:00.000Z',
    );
  });

  it('a window starting at a wall-clock time the spring jump skips opens when the clock jumps past it', () => {
    // 02:30 does not exist on 29 March in Berlin: 01:59 CET is followed by 03:00 CEST (01:00Z).
    expect(
      nextWindowChange(nightWindow('02:30', '04:00'), new Date('2026-03-29T00:00:00Z'), berlin)?.toISOString(),
    ).toBe('2026-03-29T01:00:00.000Z');
  });

  it('never changes for a 24-hour window', () => {
    expect(nextWindowChange(nightWindow('00:00', '00:00'), new Date(), berlin)).toBeNull();
  });
});

describe('decideFromScore', () => {
  const thresholds = { autoApprove: 0.85, review: 0.7 };
  it('merges at or above 0.85, holds 0.70–0.85 for review, improves or rejects below', () => {
    expect(decideFromScore(0.85, thresholds, 0)).toBe('merge');
    expect(decideFromScore(0.849, thresholds, 2)).toBe('review');
    expect(decideFromScore(0.7, thresholds, 0)).toBe('review');
    expect(decideFromScore(0.69, thresholds, 1)).toBe('improve');
    expect(decideFromScore(0.69, thresholds, 0)).toBe('reject');
  });
});

describe('nightStartedAt', () => {
  const night = nightWindow('22:00', '06:00');

  it('puts two sessions of one night, either side of midnight, in the same night', () => {
    const before = nightStartedAt(new Date('2026-06-10T23:30:00Z'), night, 'UTC');
    const after = nightStartedAt(new Date('2026-06-11T04:15:42Z'), night, 'UTC');
    expect(before.toISOString()).toBe('2026-06-10T22:00:00.000Z');
    expect(after.toISOString()).toBe('2026-06-10T22:00:00.000Z');
    // The next night starts at the next 22:00.
    expect(nightStartedAt(new Date('2026-06-11T22:00:00Z'), night, 'UTC').toISOString()).toBe(
      '2026-06-11T22:00:00.000Z',
    );
  });

  it('reads the start on the wall clock of scheduler.timezone', () => {
    // 02:00 UTC on 11 June is 04:00 in Berlin (CEST): the night began at 22:00 Berlin time = 20:00 UTC.
    expect(nightStartedAt(new Date('2026-06-11T02:00:00Z'), night, 'Europe/Berlin').toISOString()).toBe(
      '2026-06-10T20:00:00.000Z',
    );
  });

  it('finds the real start across a DST change in either direction', () => {
    // Fall back (25 Oct 2026, Berlin): 22:00 CEST = 20:00 UTC, eight real hours before 05:00 CET.
    expect(nightStartedAt(new Date('2026-10-25T04:00:00Z'), night, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-24T20:00:00.000Z',
    );
    // Spring forward (29 Mar 2026, Berlin): 22:00 CET = 21:00 UTC, six real hours before 05:00 CEST.
    expect(nightStartedAt(new Date('2026-03-29T03:00:00Z'), night, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-28T21:00:00.000Z',
    );
  });
});
