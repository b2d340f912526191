// The log root an engine uses for a home: JSONL files (except in a read-only home, where nothing can be
// written), plus readable console output when the host wants it (the CLI prints warnings and errors to
// stderr; the tray app keeps the console quiet).
import { createRequire } from 'node:module';
import type { DestinationStream } from 'pino';
import type PinoPretty from 'pino-pretty';
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
    const prettyOptions: PinoPretty.PrettyOptions = {
      destination: options.console.stream ?? process.stderr,
      colorize: options.console.colorize ?? false,
      sync: true,
      ignore: 'pid,hostname,subsystem,session_id,task_id,attempt_id',
      messageFormat: '{subsystem}: {msg}',
      translateTime: 'HH:MM:ss',
    };
    destinations.push({ stream: onFirstLine(() => loadPretty()(prettyOptions)), level: options.console.level });
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

/**
 * pino-pretty and its dozen dependencies load with the first line the console shows: most CLI commands
 * log nothing at the console's level (warn), and loading it cost ~15 ms of `nocturnal status`. Through
 * createRequire, as mvdan-sh: the CLI bundle leaves it in node_modules instead of parsing it every run.
 */
function loadPretty(): typeof PinoPretty {
  return createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
}

/**
 * A destination that builds the real one when the first line arrives. pino announces its settings to a
 * destination by an event when the logger is made (pino-pretty reads its message and error keys from
 * it): those events are kept and replayed into the real destination once it exists.
 */
function onFirstLine(build: () => NodeJS.WritableStream): DestinationStream & { emit(...args: unknown[]): boolean } {
  let stream: NodeJS.WritableStream | undefined;
  const announced: unknown[][] = [];
  return {
    write(line: string) {
      if (!stream) {
        stream = build();
        for (const args of announced) stream.emit(...(args as [string, ...unknown[]]));
      }
      stream.write(line);
    },
    emit(...args: unknown[]) {
      if (stream) return stream.emit(...(args as [string, ...unknown[]]));
      announced.push(args);
      return true;
    },
  };
}
