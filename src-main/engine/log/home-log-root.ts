// The log root an engine uses for a home: JSONL files (except in a read-only home, where nothing can be
// written), plus readable console output when the host wants it (the CLI prints warnings and errors to
// stderr; the tray app keeps the console quiet).
import pretty from 'pino-pretty';
import type { DestinationStream } from 'pino';
import { DailyFileStream } from './daily-file-stream';
import { createLogRoot } from './logger';
import type { LogLevel, LogRoot } from './logger';
import type { Redactor } from './redact';

export interface HomeLogOptions {
  /** null: no log files (a read-only home). */
  logsDir: string | null;
  level: LogLevel;
  retentionDays: number;
  console?: { level: LogLevel; stream?: NodeJS.WritableStream; colorize?: boolean };
  redactor?: Redactor;
}

export function createHomeLogRoot(options: HomeLogOptions): LogRoot {
  const file = options.logsDir === null ? null : new DailyFileStream(options.logsDir, options.retentionDays);
  const destinations: { stream: DestinationStream; level?: LogLevel }[] = file
    ? [{ stream: file, level: options.level }]
    : [];
  if (options.console) {
    const consoleStream = pretty({
      destination: options.console.stream ?? process.stderr,
      colorize: options.console.colorize ?? false,
      sync: true,
      ignore: 'pid,hostname,subsystem,session_id,task_id,attempt_id',
      messageFormat: '{subsystem}: {msg}',
      translateTime: 'HH:MM:ss',
    });
    destinations.push({ stream: consoleStream, level: options.console.level });
  }
  return createLogRoot({
    level: lowest(options.level, options.console?.level),
    destinations,
    onClose: async () => file?.close(),
    ...(options.redactor ? { redactor: options.redactor } : {}),
  });
}

const order: LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
function lowest(a: LogLevel, b: LogLevel | undefined): LogLevel {
  if (!b) return a;
  return order.indexOf(a) <= order.indexOf(b) ? a : b;
}
