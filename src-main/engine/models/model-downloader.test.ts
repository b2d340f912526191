// Downloads from a real loopback HTTP server (testing/model-file-server.ts) into real folders.
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { NocturnalError } from '../errors/nocturnal-error';
import { createTempDir } from '../git/testing/temp-repo';
import { silentLogger } from '../log/logger';
import { downloadModel } from './model-downloader';
import type { DownloadModelOptions, DownloadProgress } from './model-downloader';
import { startModelFileServer } from './testing/model-file-server';
import type { ModelFileServer, ServedFile } from './testing/model-file-server';

let tiny: Buffer;
let dir: { path: string; cleanup(): Promise<void> };
let modelsDir: string;
let server: ModelFileServer;

beforeAll(async () => {
  tiny = await readFile(await ensureTinyModel());
});
beforeEach(async () => {
  dir = await createTempDir('nocturnal-download-');
  modelsDir = join(dir.path, 'models');
  server = await startModelFileServer();
});
afterEach(async () => {
  await server.close();
  await dir.cleanup();
});

function serve(file: Partial<ServedFile> = {}): string {
  server.serve('/m.gguf', { body: tiny, ...file });
  return `${server.url}/m.gguf`;
}

function download(url: string, extra: Partial<DownloadModelOptions> = {}) {
  return downloadModel({ url, fileName: 'm.gguf', modelsDir, log: silentLogger(), progressIntervalMs: 0, ...extra });
}

async function failure(promise: Promise<unknown>): Promise<NocturnalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NocturnalError)) throw new Error(`expected a NocturnalError, got ${String(error)}`);
  return error;
}

const listModels = () => readdir(modelsDir).catch(() => [] as string[]);

describe('downloadModel', () => {
  it('downloads, verifies and renames into place, reporting progress', async () => {
    const events: DownloadProgress[] = [];
    const result = await download(serve(), { onProgress: (p) => events.push(p) });

    expect(result).toMatchObject({ path: join(modelsDir, 'm.gguf'), bytes: tiny.length, resumedFrom: 0, facts: { architecture: 'llama' } });
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
    expect(await listModels()).toEqual(['m.gguf']);
    expect(events[0]).toMatchObject({ fileName: 'm.gguf', phase: 'connecting', bytesDone: 0 });
    const downloading = events.filter((e) => e.phase === 'downloading');
    expect(downloading.length).toBeGreaterThan(0);
    expect(downloading.at(-1)).toMatchObject({ bytesDone: tiny.length, bytesTotal: tiny.length });
    expect(events.at(-1)).toMatchObject({ phase: 'verifying', bytesDone: tiny.length });
    expect(server.requests[0]?.headers.range).toBeUndefined();
  });

  it('works without a Content-Length (chunked transfer)', async () => {
    const events: DownloadProgress[] = [];
    const result = await download(serve({ chunked: true }), { onProgress: (p) => events.push(p) });
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
    expect(events.find((e) => e.phase === 'downloading')?.bytesTotal).toBeNull();
  });

  it('fails cleanly on 404 and leaves nothing behind', async () => {
    const error = await failure(download(`${server.url}/missing.gguf`));
    expect(error.kind).toBe('not_found');
    expect(error.message).toMatch(/missing\.gguf does not exist \(HTTP 404\)/);
    expect(await listModels()).toEqual([]);
  });

  it('removes a resumable .partial when the file turns out not to exist any more', async () => {
    await mkdir(modelsDir, { recursive: true });
    await writeFile(join(modelsDir, 'm.gguf.partial'), tiny.subarray(0, 1000));
    expect((await failure(download(`${server.url}/gone.gguf`))).kind).toBe('not_found');
    expect(await listModels()).toEqual([]);
  });

  it('refuses a file that is not GGUF and keeps nothing', async () => {
    const page = Buffer.from(`<!DOCTYPE html><html><body>${'x'.repeat(200_000)}</body></html>`);
    const error = await failure(download(serve({ body: page, contentType: 'text/html' })));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('HTML');
    expect(await listModels()).toEqual([]);
  });

  it('refuses a body shorter than a GGUF start, and a GGUF whose tensor data is missing', async () => {
    expect((await failure(download(serve({ body: Buffer.from('nope') })))).kind).toBe('validation');
    const cut = await failure(download(serve({ body: tiny.subarray(0, tiny.length - 4096) })));
    expect(cut.kind).toBe('validation');
    expect(cut.message).toContain('incomplete download');
    expect(await listModels()).toEqual([]);
  });

  it('resumes an interrupted download with a Range request', async () => {
    const url = serve({ cutAfter: 200_000 });
    const first = await failure(download(url));
    expect(first.kind).toBe('runtime');
    expect(first.message).toContain('pull again to resume');
    const files = await listModels();
    expect(files).toEqual(['m.gguf.partial']);
    const kept = (await stat(join(modelsDir, 'm.gguf.partial'))).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(tiny.length);

    const events: DownloadProgress[] = [];
    const result = await download(url, { onProgress: (p) => events.push(p) });
    expect(server.requests[1]).toMatchObject({ status: 206, headers: { range: `bytes=${kept}-` } });
    expect(result.resumedFrom).toBe(kept);
    expect(events[0]).toMatchObject({ phase: 'connecting', bytesDone: kept });
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
    expect(await listModels()).toEqual(['m.gguf']);
  });

  it('starts over cleanly when the server ignores Range', async () => {
    const url = serve({ cutAfter: 300_000, ignoreRange: true });
    await failure(download(url));
    const kept = (await stat(join(modelsDir, 'm.gguf.partial'))).size;
    expect(kept).toBeGreaterThan(0);

    const result = await download(url);
    expect(server.requests[1]).toMatchObject({ status: 200, headers: { range: `bytes=${kept}-` } });
    expect(result.resumedFrom).toBe(0);
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
  });

  it('finishes a .partial that already holds every byte (416 with the same size)', async () => {
    await mkdir(modelsDir, { recursive: true });
    await writeFile(join(modelsDir, 'm.gguf.partial'), tiny);
    const result = await download(serve());
    expect(server.requests.map((r) => r.status)).toEqual([416]);
    expect(result.resumedFrom).toBe(tiny.length);
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
  });

  it('starts over when the .partial is longer than the remote file', async () => {
    await mkdir(modelsDir, { recursive: true });
    await writeFile(join(modelsDir, 'm.gguf.partial'), Buffer.concat([tiny, Buffer.alloc(10)]));
    const result = await download(serve());
    expect(server.requests.map((r) => r.status)).toEqual([416, 200]);
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
  });

  it('checks free disk space against Content-Length before writing anything', async () => {
    const error = await failure(download(serve({ announcedLength: 1e15 })));
    expect(error.kind).toBe('runtime');
    expect(error.message).toMatch(/not enough disk space .*needs 1000 TB, but only .* is free/);
    expect(await listModels()).toEqual([]);
  });

  it('keeps the configured reserve free', async () => {
    const error = await failure(download(serve(), { reserveBytes: 1e15 }));
    expect(error.message).toContain('safety.min_free_disk_gb');
    expect(await listModels()).toEqual([]);
  });

  it('keeps a resumable .partial when cancelled, and resumes it afterwards', async () => {
    const url = serve({ stallAfter: 100_000 });
    const controller = new AbortController();
    const error = await failure(
      download(url, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'downloading' && p.bytesDone > 0) controller.abort();
        },
      }),
    );
    expect(error.message).toMatch(/cancelled at .*pull again to resume/);
    const kept = (await stat(join(modelsDir, 'm.gguf.partial'))).size;
    expect(kept).toBeGreaterThan(0);

    server.serve('/m.gguf', { body: tiny });
    const result = await download(url);
    expect(result.resumedFrom).toBe(kept);
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
  });

  it('gives up on a stalled server and keeps what arrived', async () => {
    const error = await failure(download(serve({ stallAfter: 50_000 }), { idleTimeoutMs: 300 }));
    expect(error.message).toMatch(/sent nothing for .*pull again to resume/);
    expect(await listModels()).toEqual(['m.gguf.partial']);
  });

  it('reports an unreachable server as a runtime failure', async () => {
    const url = serve();
    await server.close();
    const error = await failure(download(url));
    expect(error.kind).toBe('runtime');
    expect(error.message).toContain('ECONNREFUSED');
    server = await startModelFileServer();
  });

  it('keeps the .partial on errors that may pass (401, 503) and names what to do', async () => {
    await mkdir(modelsDir, { recursive: true });
    await writeFile(join(modelsDir, 'm.gguf.partial'), tiny.subarray(0, 1000));
    const denied = await failure(download(serve({ status: 401 })));
    expect(denied.message).toMatch(/HTTP 401 .*HF_TOKEN.*pull again to resume/);
    const down = await failure(download(serve({ status: 503 })));
    expect(down.message).toContain('try again later');
    expect(await listModels()).toEqual(['m.gguf.partial']);
  });

  it('allows one download of a file at a time', async () => {
    const url = serve({ stallAfter: 100_000 });
    const controller = new AbortController();
    let started!: () => void;
    const downloading = new Promise<void>((resolve) => (started = resolve));
    const first = download(url, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading') started();
      },
    });
    await downloading;
    const second = await failure(download(url));
    expect(second.kind).toBe('conflict');
    expect(second.message).toContain(`process ${process.pid}`);
    controller.abort();
    await failure(first);
    expect(await listModels()).toEqual(['m.gguf.partial']);
  });

  it('sends the token as a bearer header, never logs it, and drops it on a redirect to another host', async () => {
    const cdn = await startModelFileServer({ '/blob': { body: tiny } });
    try {
      server.serve('/m.gguf', { body: tiny, redirectTo: `${cdn.url}/blob` });
      const logStream = new PassThrough();
      const logged: Buffer[] = [];
      logStream.on('data', (c: Buffer) => logged.push(c));
      const log = pino({ level: 'trace' }, logStream);
      const token = 'hf_abcdefghijklmnopqrstuvwxyz0123456789';
      await download(`${server.url}/m.gguf?sig=secret-query`, { token, log });
      expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${token}`);
      expect(cdn.requests[0]?.headers.authorization).toBeUndefined();
      const text = Buffer.concat(logged).toString();
      expect(text).toContain('downloading model');
      expect(text).not.toContain(token);
      expect(text).not.toContain('secret-query');
    } finally {
      await cdn.close();
    }
  });
});
