// A reader that stops early (`nocturnal config show | head -1`) closes the pipe, and the next write
// fails with EPIPE. Node reports that as an 'error' event which, unhandled, prints a stack trace and
// exits 1. Here the closed pipe only ends the output: later writes are dropped and the command
// finishes what it was doing (a `run` keeps working its session rather than dying mid-attempt), and
// exits with its own status.
import { Writable } from 'node:stream';

/** Errors that mean "nobody reads this stream any more". */
const closedCodes = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export interface GuardedStream {
  stream: NodeJS.WritableStream;
  /** True once the reader has gone. */
  readonly closed: boolean;
}

export function guardClosedPipe(target: NodeJS.WritableStream & { isTTY?: boolean }): GuardedStream {
  let closed = false;
  target.on('error', (error: NodeJS.ErrnoException) => {
    if (closedCodes.has(error.code ?? '')) {
      closed = true;
      return;
    }
    throw error;
  });
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      if (!closed) target.write(chunk);
      done();
    },
  });
  return {
    stream,
    get closed() {
      return closed;
    },
  };
}
