// Subsystem loggers on pino. There is no module-level logger: the engine creates one LogRoot and hands
// `root.createLogger('scheduler')` style children to each component, so tests and several engines in
// one process never share state. Context (session_id, task_id, attempt_id) rides on child loggers.
import pino from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import { REDACTED, createRedactor, redactedFieldPaths } from './redact';
import type { Redactor } from './redact';

export type Logger = PinoLogger;
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LogContext {
  session_id?: string;
  task_id?: string;
  attempt_id?: string;
}

export interface LogRoot {
  createLogger(subsystem: string, context?: LogContext): Logger;
  /** Flushes and closes file destinations. */
  close(): Promise<void>;
}

export interface LogRootOptions {
  level: LogLevel;
  /** Where JSON lines go; several destinations are multiplexed. */
  destinations: { stream: DestinationStream; level?: LogLevel }[];
  onClose?: () => Promise<void>;
  /** Redaction with the engine's own secrets (the configured API key); patterns only when absent. */
  redactor?: Redactor;
}

export function createLogRoot(options: LogRootOptions): LogRoot {
  const redactor = options.redactor ?? createRedactor();
  const streams = options.destinations.map((d) => ({ stream: d.stream, level: d.level ?? options.level }));
  const base = pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactedFieldPaths, censor: REDACTED },
      formatters: {
        level: (label) => ({ level: label }),
        // Every structured field, at any depth: an error message echoed by a server is a string field.
        log: (object) => redactor.value(object),
      },
      hooks: {
        // Free-text redaction: messages are where secrets actually leak.
        logMethod(args, method) {
          const redacted = args.map((a) => (typeof a === 'string' ? redactor.text(a) : a)) as typeof args;
          method.apply(this, redacted);
        },
      },
    },
    streams.length === 0 ? pino.destination({ dest: '/dev/null', sync: true }) : pino.multistream(streams),
  );
  return {
    createLogger(subsystem, context) {
      return base.child({ subsystem, ...context });
    },
    async close() {
      base.flush();
      await options.onClose?.();
    },
  };
}

/** A logger that writes nowhere, for tests and one-shot tools that have no home yet. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
