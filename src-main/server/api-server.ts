// `nocturnal serve` (DESIGN §8b): the engine API and the built renderer over loopback HTTP.
//   POST /api/<channel>   JSON body, `Authorization: Bearer <token>` → 200 {data} | 4xx/5xx {error:{type,message}}
//   GET  /api/events      Server-Sent Events; the token as a Bearer header or `?token=` (EventSource
//                         cannot set headers)
//   GET  /…               the renderer; it reads the token from the URL's #fragment, which browsers
//                         never send to a server or put in a Referer
// Loopback only. The random token is what makes it private to whoever started it: every API request
// needs it (compared in constant time), and a Host check refuses DNS-rebinding pages that would
// otherwise reach 127.0.0.1 under a name of their own.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dispatch } from '../../src-shared/api/dispatch';
import type { ErrorDescriber, SomeChannelHandlers } from '../../src-shared/api/dispatch';
import { channelNames, isChannelName } from '../../src-shared/api/names';
import type { EventName } from '../../src-shared/api/names';
import type { ApiError, ApiErrorType } from '../../src-shared/api/result';
import { openEventStream } from './event-stream';
import type { EventStreamClient } from './event-stream';
import { serveStatic } from './static-files';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface ApiServerOptions {
  handlers: SomeChannelHandlers;
  describeError: ErrorDescriber;
  /** Subscribes to every engine event; returns the function that unsubscribes. */
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  /** The built renderer's folder, or null when it is not built (the API still answers). */
  rendererDir: string | null;
  /** 0 picks a free port. */
  port: number;
  /** Fixed only by tests; otherwise 32 random bytes. */
  token?: string;
}

export interface ApiServer {
  readonly port: number;
  readonly token: string;
  /** The address to open: `http://127.0.0.1:PORT/#token=TOKEN`. */
  readonly url: string;
  close(): Promise<void>;
}

const statusOfError: Record<ApiErrorType, number> = {
  validation: 400,
  usage: 400,
  not_found: 404,
  conflict: 409,
  runtime: 500,
  unknown_channel: 404,
  forbidden: 401,
  not_connected: 503,
  contract: 500,
};

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const streams = new Set<EventStreamClient>();
  let port = 0;

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendError(response, 500, { type: 'runtime', message: error instanceof Error ? error.message : String(error) });
      else response.end();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!allowedHost(request.headers.host, port)) {
      sendError(response, 403, {
        type: 'forbidden',
        message: `this server answers only as 127.0.0.1:${port} or localhost:${port} (Host: ${request.headers.host ?? 'none'})`,
      });
      return;
    }
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        sendError(response, 405, {
          type: 'usage',
          message: `${request.method ?? '?'} ${url.pathname}: only GET serves the window`,
        });
        return;
      }
      serveStatic(options.rendererDir, url.pathname, response);
      return;
    }
    const presented =
      bearer(request.headers.authorization) ?? (url.pathname === '/api/events' ? url.searchParams.get('token') : null);
    if (presented === null || !sameSecret(presented, token)) {
      response.setHeader('www-authenticate', 'Bearer');
      sendError(response, 401, {
        type: 'forbidden',
        message:
          presented === null
            ? 'the API needs the token printed by `nocturnal serve`: send Authorization: Bearer TOKEN'
            : 'wrong token: use the one `nocturnal serve` printed at start-up',
      });
      return;
    }
    if (url.pathname === '/api/events') {
      if (request.method !== 'GET') {
        sendError(response, 405, { type: 'usage', message: '/api/events is read with GET (an EventSource)' });
        return;
      }
      const client = openEventStream(response, () => {
        unsubscribe();
        streams.delete(client);
      });
      const unsubscribe = options.subscribe((event, payload) => client.send(event, payload));
      streams.add(client);
      return;
    }
    const channel = url.pathname.slice('/api/'.length);
    if (!isChannelName(channel)) {
      sendError(response, 404, {
        type: 'unknown_channel',
        message: `unknown channel ${JSON.stringify(channel)}; known channels: ${channelNames.join(', ')}`,
      });
      return;
    }
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      sendError(response, 405, { type: 'usage', message: `${channel}: call it with POST and a JSON body` });
      return;
    }
    const type = request.headers['content-type'] ?? '';
    if (!/^application\/json\b/i.test(type)) {
      sendError(response, 415, {
        type: 'validation',
        message: `${channel}: the body must be JSON (Content-Type: application/json), got ${type || 'no Content-Type'}`,
      });
      return;
    }
    const body = await readBody(request);
    if (body.kind === 'too-large') {
      sendError(response, 413, {
        type: 'validation',
        message: `${channel}: the request body is larger than ${MAX_BODY_BYTES} bytes`,
      });
      return;
    }
    let payload: unknown = {};
    if (body.text.trim() !== '') {
      try {
        payload = JSON.parse(body.text);
      } catch (error) {
        sendError(response, 400, {
          type: 'validation',
          message: `${channel}: the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
        });
        return;
      }
    }
    const result = await dispatch(channel, payload, options.handlers, options.describeError);
    if ('error' in result) sendError(response, statusOfError[result.error.type], result.error);
    else sendJson(response, 200, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    async close() {
      for (const stream of streams) stream.close();
      streams.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function allowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}` || host === `[::1]:${port}`;
}

function bearer(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

function sameSecret(presented: string, token: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<{ kind: 'ok'; text: string } | { kind: 'too-large' }> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) {
    request.resume();
    return { kind: 'too-large' };
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      return { kind: 'too-large' };
    }
    chunks.push(chunk);
  }
  return { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') };
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(JSON.stringify(value));
}

function sendError(response: ServerResponse, status: number, error: ApiError): void {
  sendJson(response, status, { error });
}
