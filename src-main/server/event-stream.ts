// `/api/events`: the engine's events as Server-Sent Events (`event: <name>`, `data: <json>`), which a
// browser reads with a plain EventSource. A comment line every 15 s keeps proxies and idle timeouts
// from closing the stream.
import type { ServerResponse } from 'node:http';
import type { EventName } from '../../src-shared/api/names';

export interface EventStreamClient {
  send(event: EventName, payload: unknown): void;
  close(): void;
}

export function openEventStream(response: ServerResponse, onClose: () => void): EventStreamClient {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  // `retry` tells EventSource how soon to reconnect after the server restarts.
  response.write('retry: 2000\n: connected\n\n');
  const heartbeat = setInterval(() => response.write(': ping\n\n'), 15_000);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    onClose();
  };
  response.on('close', close);
  return {
    send(event, payload) {
      if (closed) return;
      // JSON has no raw newlines, so one `data:` line carries the whole payload.
      response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    close() {
      close();
      response.end();
    },
  };
}
