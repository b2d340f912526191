import type { Command } from 'commander';
import type { Session } from '../../../src-shared/domain/records';
import { minuteOfDayInZone, parseClockTime } from '../../../src-shared/night-window';
import type { HostSnapshot } from '../../host/engine-host';
import type { SessionProgress } from '../../engine/scheduler/session-runner';
import { formatDuration } from '../../engine/report/render-report';
import type { CliContext } from '../cli-context';
import { writeLine } from '../cli-io';
import { createProgressBar } from '../progress-bar';
import type { ProgressBar } from '../progress-bar';
import { paint, terminalStyle } from '../terminal-style';
import { clockTime, positiveInteger } from './parse-options';

interface RunOptions {
  now?: boolean;
  maxTasks?: number;
  until?: string;
}

export function registerRunCommand(program: Command, context: () => CliContext): void {
  program
    .command('run')
    .description(
      'without --now: the night scheduler in the foreground (works each night window while night mode is on; Ctrl+C stops after the current task); --now: one session at once',
    )
    .option('--now', 'run one session at once instead of waiting for the night window')
    .option(
      '--max-tasks <n>',
      'start at most this many tasks (per night without --now)',
      positiveInteger('--max-tasks'),
    )
    .option('--until <HH:MM>', 'start no new task after this time (each night without --now)', clockTime('--until'))
    .action(async (options: RunOptions) => {
      const ctx = context();
      if (options.now) await runNow(ctx, options);
      else await runScheduler(ctx, options);
    });
}

async function runNow(ctx: CliContext, options: RunOptions): Promise<void> {
  const engine = await ctx.openEngine();
  const out = ctx.io.stdout;
  const minuteOfDay = (date: Date) => minuteOfDayInZone(date, engine.config.scheduler.timezone);
  const abort = new AbortController();
  const onSignal = () => {
    writeLine(out, 'stopping after the current task… (press Ctrl+C again to force)');
    abort.abort();
    process.off('SIGINT', onSignal);
  };
  process.on('SIGINT', onSignal);
  try {
    const until = options.until ? nextOccurrence(options.until, new Date(), minuteOfDay) : undefined;
    const loading: ModelLoad = {};
    const session = await engine.runSession({
      trigger: 'manual',
      maxTasks: options.maxTasks,
      until,
      signal: abort.signal,
      onProgress: (event) => printProgress(ctx, event, loading),
    });
    printSessionEnd(ctx, session);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/**
 * The night scheduler in the foreground: the same host the desktop app and `serve` run, with the
 * terminal as its only face. It says what it waits for (night mode off, the window, an empty queue)
 * whenever that changes, and notices config.yaml edits at its next look around.
 */
async function runScheduler(ctx: CliContext, options: RunOptions): Promise<void> {
  const out = ctx.io.stdout;
  // Validate before anything opens, as every command does.
  const { timezone } = ctx.config.scheduler;
  const { startEngineHost } = await import('../../host/engine-host');
  const host = await startEngineHost({
    home: ctx.home,
    env: ctx.io.env,
    kind: 'cli',
    // Changes other processes make (a `task add` in another terminal) reach the scheduler within 5 s:
    // the terminal shows nothing live, and a 1 s poll was most of an idle night's CPU.
    watchIntervalMs: 5_000,
    console: { stream: ctx.io.stderr, level: ctx.verbose ? 'debug' : 'warn' },
    nightLimits: (now) => ({
      maxTasks: options.maxTasks,
      until: options.until
        ? nextOccurrence(options.until, now, (date) => minuteOfDayInZone(date, timezone))
        : undefined,
    }),
  });
  const loading: ModelLoad = {};
  let said = '';
  const say = (snapshot: HostSnapshot) => {
    const line = describeWait(snapshot);
    if (line !== null && line !== said) writeLine(out, line);
    said = line ?? said;
  };
  const unsubscribe = host.on((event) => {
    if (event.type === 'state') say(event.snapshot);
    else if (event.type === 'progress') {
      if (event.progress.type === 'session-started') loading.bar = undefined;
      printProgress(ctx, event.progress, loading);
      if (event.progress.type === 'session-ended') printSessionEnd(ctx, event.progress.session);
    }
  });
  say(host.snapshot());
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      writeLine(
        out,
        host.scheduler.state().running ? 'stopping after the current task… (press Ctrl+C again to force)' : 'stopping',
      );
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await host.close();
  unsubscribe();
  writeLine(out, 'stopped');
}

/** One line for what the scheduler waits for; null while it works (progress lines say that). */
export function describeWait(snapshot: HostSnapshot): string | null {
  const { scheduler } = snapshot;
  const { nightMode } = snapshot.status;
  const { startTime, endTime, timezone } = nightMode.window;
  const window = `${startTime}–${endTime}${timezone === 'local' ? '' : ` ${timezone}`}`;
  switch (scheduler.phase) {
    case 'off':
      return `night mode is off (scheduler.night_mode: false): waiting, nothing will start; turn it on in the tray or config.yaml (checked every scheduler.check_interval_s)`;
    case 'waiting':
      return scheduler.nextStart
        ? `night mode is on: waiting for the night window (${window}), which opens at ${scheduler.nextStart.toISOString()}; Ctrl+C to quit`
        : `night mode is on: waiting for the night window (${window}); Ctrl+C to quit`;
    case 'idle':
      return `the night window (${window}) is open: ${scheduler.note ?? 'nothing to do'}; looking again every scheduler.check_interval_s`;
    case 'working':
    case 'stopped':
      return null;
  }
}

function printSessionEnd(ctx: CliContext, session: Session): void {
  writeLine(ctx.io.stdout, `report: nocturnal report --session ${session.id}`);
  if (session.stats.review > 0) writeLine(ctx.io.stdout, 'waiting for you: nocturnal review list');
}

/** The model's load progress bar, while one is drawn. */
interface ModelLoad {
  bar?: ProgressBar;
}

function printProgress(ctx: CliContext, event: SessionProgress, loading: ModelLoad): void {
  const out = ctx.io.stdout;
  const style = terminalStyle(ctx.io.env, ctx.io.interactive);
  switch (event.type) {
    case 'model-loading': {
      // A bar on a terminal; a line per 10 % step in a pipe or a log file.
      loading.bar ??= createProgressBar(out, style, 'loading the model');
      loading.bar.update(event.progress);
      if (event.progress >= 1) loading.bar.end();
      break;
    }
    case 'session-started':
      writeLine(out, `session ${event.session.id} started: ${event.queued} task(s) queued`);
      break;
    case 'task-started':
      writeLine(out, `[${event.index}] ${event.title} (${event.taskId})`);
      break;
    case 'attempt':
      if (event.progress.stage !== 'done')
        writeLine(
          out,
          `    ${event.progress.stage}${event.progress.cycle > 0 ? ` (cycle ${event.progress.cycle})` : ''}: ${event.progress.message}`,
        );
      break;
    case 'paused':
      writeLine(out, `paused: ${event.reason}; waiting (checking every scheduler.check_interval_s)`);
      break;
    case 'resumed':
      writeLine(out, `resumed after ${formatDuration(event.pausedMs)}`);
      break;
    case 'task-finished':
      writeLine(
        out,
        `    → ${paint(style, outcomeColour[event.status] ?? 'bold', event.status)}${event.score !== null ? ` (score ${event.score.toFixed(2)})` : ''}${event.reason ? `: ${event.reason.split('\n')[0]}` : ''}`,
      );
      break;
    case 'session-ended': {
      const s = event.session.stats;
      writeLine(
        out,
        `session ended (${event.session.endReason ?? event.session.status}): ${s.merged} merged, ${s.review} waiting for review, ${s.rejected} rejected, ${s.failed} failed`,
      );
      break;
    }
  }
}

const outcomeColour: Partial<Record<string, 'green' | 'yellow' | 'red'>> = {
  merged: 'green',
  review: 'yellow',
  rejected: 'red',
  failed: 'red',
};

/** The next time the configured zone's wall clock shows `time` (today if still ahead, else tomorrow). */
function nextOccurrence(time: string, now: Date, minuteOfDay: (date: Date) => number): Date {
  const minutesAhead = (parseClockTime(time) - minuteOfDay(now) + 1440) % 1440 || 1440;
  const at = new Date(now.getTime() + minutesAhead * 60_000);
  at.setSeconds(0, 0);
  return at;
}
