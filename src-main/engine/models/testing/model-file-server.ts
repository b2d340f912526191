// A real HTTP file server on 127.0.0.1 for the model download tests (DESIGN §10: no mocks of the HTTP
// boundary). It serves byte ranges the way the hub's CDN does, and can misbehave on purpose: cut the
// connection mid-body, ignore Range, stall, claim a huge Content-Length, redirect, or answer an error.
//
//   const server = await startModelFileServer({ '/m.gguf': { body: await readFile(tiny) } });
//   …download `${server.url}/m.gguf`…
//   expect(server.requests[1]?.headers.range).toBe('bytes=200000-');
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ServedFile {
  body: Buffer;
  /** Answer this status with a short text body instead of the file. */
  status?: number;
  contentType?: string;
  /** Answer every request with 200 and the whole file, as servers without range support do. */
  ignoreRange?: boolean;
  /** Send this many body bytes, then destroy the connection; for the first `cutTimes` requests. */
  cutAfter?: number;
  cutTimes?: number;
  /** Send this many body bytes, then nothing more until the client gives up. */
  stallAfter?: number;
  /** Announce this Content-Length (and send only the first bytes of the body, then stall). */
  announcedLength?: number;
  /** Leave out Content-Length (chunked transfer encoding). */
  chunked?: boolean;
  /** Answer 302 to this absolute URL. */
  redirectTo?: string;
  /**
   * Bytes at or past this offset of the file are never sent: a response reaching it sends what comes
   * before and then stalls, as a dropped link does mid-file. Clear it (serve again) to let the rest through.
   */
  stallFrom?: number;
  /** Answer 401 unless the request carries `Authorization: Bearer <this>`, as a gated hub repository does. */
  requireBearer?: string;
}

export interface ServedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface ModelFileServer {
  url: string;
  requests: ServedRequest[];
  /** Adds or replaces the file served at `path`. */
  serve(path: string, file: ServedFile): void;
  close(): Promise<void>;
}

export async function startModelFileServer(initial: Record<string, ServedFile> = {}): Promise<ModelFileServer> {
  const files = new Map(Object.entries(initial));
  const cuts = new Map<string, number>();
  const requests: ServedRequest[] = [];

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const file = files.get(path) ?? files.get(decodeURIComponent(path));
    const record = (status: number) => requests.push({ path, headers: req.headers, status });
    if (!file) {
      record(404);
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    if (file.requireBearer !== undefined && req.headers.authorization !== `Bearer ${file.requireBearer}`) {
      record(401);
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Access to model is restricted');
      return;
    }
    if (file.status !== undefined) {
      record(file.status);
      res.writeHead(file.status, { 'content-type': 'text/plain' }).end(`status ${file.status}`);
      return;
    }
    if (file.redirectTo !== undefined) {
      record(302);
      res.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    const headers: Record<string, string | number> = {
      'content-type': file.contentType ?? 'application/octet-stream',
      'accept-ranges': 'bytes',
    };
    if (file.announcedLength !== undefined) {
      record(200);
      res.writeHead(200, { ...headers, 'content-length': file.announcedLength });
      res.write(file.body.subarray(0, 16));
      return;
    }

    const size = file.body.length;
    // Open (`bytes=N-`) and closed (`bytes=N-M`) ranges, as browsers and parallel downloaders send them.
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let start = 0;
    let end = size;
    let status = 200;
    if (range?.[1] !== undefined && !file.ignoreRange) {
      start = Number(range[1]);
      if (start >= size) {
        record(416);
        res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
        return;
      }
      if (range[2]) end = Math.min(size, Number(range[2]) + 1);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
    }
    const body = file.body.subarray(start, end);
    if (!file.chunked) headers['content-length'] = body.length;
    record(status);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    if (file.stallFrom !== undefined && end > file.stallFrom) {
      res.write(body.subarray(0, Math.max(0, file.stallFrom - start)));
      return;
    }

    const cutsSoFar = cuts.get(path) ?? 0;
    if (file.cutAfter !== undefined && cutsSoFar < (file.cutTimes ?? 1)) {
      cuts.set(path, cutsSoFar + 1);
      // Once the bytes are handed to the kernel the connection dies, as when a Wi-Fi link drops.
      res.write(body.subarray(0, file.cutAfter), () => res.socket?.destroy());
      return;
    }
    if (file.stallAfter !== undefined) {
      res.write(body.subarray(0, file.stallAfter));
      return;
    }
    writeInPieces(res, body);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    serve(path, file) {
      files.set(path, file);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Several writes, so that clients see a stream of chunks as they would from a real server.
function writeInPieces(res: ServerResponse, body: Buffer): void {
  const piece = 64 * 1024;
  for (let at = 0; at < body.length; at += piece) res.write(body.subarray(at, at + piece));
  res.end();
}
