import type { Command } from 'commander';
import { isInWindow, minuteOfDayInZone, minutesUntilClose, minutesUntilOpen, nightWindow, parseClockTime } from '../../../src-shared/night-window';
import type { SessionProgress } from '../../engine/scheduler/session-runner';
import { formatDuration } from '../../engine/report/render-report';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';
import { clockTime, positiveInteger } from './parse-options';

interface RunOptions {
  now?: boolean;
  maxTasks?: number;
  until?: string;
}

export function registerRunCommand(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description('run one session in the foreground (without --now it waits for the night window)')
    .option('--now', 'start immediately instead of waiting for the night window')
    .option('--max-tasks <n>', 'stop after this many tasks', positiveInteger('--max-tasks'))
    .option('--until <HH:MM>', 'start no new task after this time', clockTime('--until'))
    .action(async (options: RunOptions) => {
      const ctx = context();
      const engine = await ctx.openEngine();
      const out = ctx.io.stdout;
      const { scheduler } = engine.config;
      const window = nightWindow(scheduler.start_time, scheduler.end_time);
      const minuteOfDay = (date: Date) => minuteOfDayInZone(date, scheduler.timezone);
      const abort = new AbortController();
      const onSignal = () => {
        writeLine(out, 'stopping after the current task… (press Ctrl+C again to force)');
        abort.abort();
        process.off('SIGINT', onSignal);
      };
      process.on('SIGINT', onSignal);
      try {
        if (!options.now) {
          const waitMinutes = minutesUntilOpen(window, minuteOfDay(new Date()));
          if (waitMinutes > 0) {
            writeLine(out, `waiting for the night window (${scheduler.start_time}–${scheduler.end_time}), which opens in ${formatDuration(waitMinutes * 60_000)}; use --now to start at once`);
            await waitUntilWindow(() => isInWindow(window, minuteOfDay(new Date())), scheduler.check_interval_s, abort.signal);
            if (abort.signal.aborted) return;
          }
        }
        const until = options.until
          ? nextOccurrence(options.until, minuteOfDay)
          : options.now
            ? undefined
            : new Date(Date.now() + minutesUntilClose(window, minuteOfDay(new Date())) * 60_000);
        const loading = { shown: 0 };
        const session = await engine.runSession({ trigger: options.now ? 'manual' : 'night-window', maxTasks: options.maxTasks, until, signal: abort.signal, onProgress: (event) => printProgress(ctx, event, loading) });
        writeLine(out, `report: nocturnal report --session ${session.id}`);
        if (session.stats.review > 0) writeLine(out, 'waiting for you: nocturnal review list');
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}

function printProgress(ctx: CliContext, event: SessionProgress, loading: { shown: number }): void {
  const out = ctx.io.stdout;
  switch (event.type) {
    case 'model-loading': {
      // One line per 10% step: readable in a terminal and in a log file alike.
      const step = Math.floor(event.progress * 10);
      if (step > loading.shown) {
        loading.shown = step;
        writeLine(out, `loading the model: ${step * 10}%`);
      }
      break;
    }
    case 'session-started':
      writeLine(out, `session ${event.session.id} started: ${event.queued} task(s) queued`);
      break;
    case 'task-started':
      writeLine(out, `[${event.index}] ${event.title} (${event.taskId})`);
      break;
    case 'attempt':
      if (event.progress.stage !== 'done') writeLine(out, `    ${event.progress.stage}${event.progress.cycle > 0 ? ` (cycle ${event.progress.cycle})` : ''}: ${event.progress.message}`);
      break;
    case 'paused':
      writeLine(out, `paused: ${event.reason}; waiting (checking every scheduler.check_interval_s)`);
      break;
    case 'resumed':
      writeLine(out, `resumed after ${formatDuration(event.pausedMs)}`);
      break;
    case 'task-finished':
      writeLine(out, `    → ${event.status}${event.score !== null ? ` (score ${event.score.toFixed(2)})` : ''}${event.reason ? `: ${event.reason.split('\n')[0]}` : ''}`);
      break;
    case 'session-ended': {
      const s = event.session.stats;
      writeLine(out, `session ended (${event.session.endReason ?? event.session.status}): ${s.merged} merged, ${s.review} waiting for review, ${s.rejected} rejected, ${s.failed} failed`);
      break;
    }
  }
}

/** The next time the configured zone's wall clock shows `time` (today if still ahead, else tomorrow). */
function nextOccurrence(time: string, minuteOfDay: (date: Date) => number): Date {
  const now = new Date();
  const minutesAhead = (parseClockTime(time) - minuteOfDay(now) + 1440) % 1440 || 1440;
  const at = new Date(now.getTime() + minutesAhead * 60_000);
  at.setSeconds(0, 0);
  return at;
}

async function waitUntilWindow(isOpen: () => boolean, intervalS: number, signal: AbortSignal): Promise<void> {
  while (!signal.aborted && !isOpen()) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(intervalS, 60) * 1000);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      }, { once: true });
    });
  }
}
