// Everything the CLI prints passes the engine's redaction: a server that echoes the API key in an
// error message must not put the key on the terminal (or into a CI log that captured it).
import { Writable } from 'node:stream';
import type { Redactor } from '../engine/log/redact';

export function redactingStream(target: NodeJS.WritableStream, redactor: Redactor): NodeJS.WritableStream {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      target.write(redactor.text(typeof chunk === 'string' ? chunk : chunk.toString('utf8')));
      // Done at once, so every write reaches the target in the same tick, in order.
      done();
    },
  });
}
