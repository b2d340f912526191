// The channels whose answer depends on the night scheduler the host runs: status (next start, the
// running session, stopping), night mode (written through the config, then the scheduler looks
// again at once), "run now", "stop after this task", "free model memory". Every transport merges
// these over the engine API's handlers, so a session never starts behind the scheduler's back.
import type { AppInfo } from '../../src-shared/api/channels';
import type { SomeChannelHandlers } from '../../src-shared/api/dispatch';
import { minuteOfDayInZone, parseClockTime } from '../../src-shared/night-window';
import type { EngineHost } from './engine-host';

export function createHostHandlers(host: EngineHost, info: () => AppInfo): SomeChannelHandlers {
  return {
    'app:getInfo': () => info(),
    'status:get': () => host.snapshot().status,
    'config:get': () => host.config(),
    'nightMode:get': () => host.snapshot().status.nightMode,
    'nightMode:set': ({ enabled }) => host.setNightMode(enabled),
    'session:start': async ({ maxTasks, until }) => {
      const { timezone } = host.snapshot().status.nightMode.window;
      const session = await host.runNow({ maxTasks, until: until === undefined ? undefined : nextWallClock(until, host.now(), timezone) });
      return { session };
    },
    'session:stop': () => {
      const sessionId = host.snapshot().status.session?.id ?? null;
      return { stopping: host.stopAfterCurrentTask(), sessionId };
    },
    'models:free': async () => ({ freed: await host.freeModelMemory() }),
  };
}

/** The next instant the zone's wall clock shows HH:MM (today if still ahead, else tomorrow). */
function nextWallClock(time: string, now: Date, timeZone: string): Date {
  const ahead = (parseClockTime(time) - minuteOfDayInZone(now, timeZone) + 1440) % 1440 || 1440;
  const at = new Date(now.getTime() + ahead * 60_000);
  at.setSeconds(0, 0);
  return at;
}
