// Downloads through node-llama-cpp's downloader from a real loopback HTTP server (the hub mocked by
// testing/model-file-server.ts, which serves byte ranges like the hub's CDN) into real folders.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import pino from 'pino';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { NocturnalError } from '../errors/nocturnal-error';
import { createTempDir } from '../git/testing/temp-repo';
import { silentLogger } from '../log/logger';
import { downloadModel, stagingDirFor } from './model-downloader';
import type { DownloadModelOptions, DownloadProgress } from './model-downloader';
import { startModelFileServer } from './testing/model-file-server';
import type { ModelFileServer, ServedFile } from './testing/model-file-server';
import { buildLargeGguf, buildSplitGguf } from './testing/split-gguf';

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

function serve(file: Partial<ServedFile> = {}, path = '/m.gguf'): string {
  server.serve(path, { body: tiny, ...file });
  return `${server.url}${path}`;
}

function download(url: string, extra: Partial<DownloadModelOptions> = {}) {
  const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
  return downloadModel({
    uri: url,
    probeUrl: url,
    fileName,
    modelsDir,
    hubUrl: 'https://huggingface.co',
    log: silentLogger(),
    progressIntervalMs: 0,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<NocturnalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NocturnalError)) throw new Error(`expected a NocturnalError, got ${String(error)}`);
  return error;
}

const listModels = async () => (await readdir(modelsDir).catch(() => [] as string[])).filter((f) => !f.startsWith('.'));
const listStaged = () => readdir(stagingDirFor(modelsDir)).catch(() => [] as string[]);
const rangeStart = (range: string | string[] | undefined) =>
  typeof range === 'string' ? Number(/^bytes=(\d+)-/.exec(range)?.[1]) : null;

describe('downloadModel', () => {
  it('downloads, verifies and moves into the models folder, reporting progress', async () => {
    const events: DownloadProgress[] = [];
    const result = await download(serve(), { onProgress: (p) => events.push(p) });

    expect(result).toMatchObject({
      path: join(modelsDir, 'm.gguf'),
      fileName: 'm.gguf',
      bytes: tiny.length,
      resumedFrom: 0,
      facts: { architecture: 'llama', splitCount: 1 },
    });
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
    expect(await listModels()).toEqual(['m.gguf']);
    expect(await listStaged()).toEqual([]);
    expect(events[0]).toMatchObject({ fileName: 'm.gguf', phase: 'connecting', bytesDone: 0 });
    expect(events.filter((e) => e.phase === 'downloading').at(-1)).toMatchObject({
      bytesDone: tiny.length,
      bytesTotal: tiny.length,
    });
    expect(events.at(-1)).toMatchObject({ phase: 'verifying', bytesDone: tiny.length });
    // The probe asked for the first 16 bytes only.
    expect(server.requests[0]?.headers.range).toBe('bytes=0-15');
  });

  it('says clearly, naming the URI, when the file is gone (404), and writes nothing', async () => {
    const error = await failure(download(`${server.url}/gone.gguf`));
    expect(error.kind).toBe('not_found');
    expect(error.message).toContain(`${server.url}/gone.gguf does not exist (HTTP 404`);
    expect(server.requests).toHaveLength(1);
    expect(await listModels()).toEqual([]);
    expect(await listStaged()).toEqual([]);
  });

  it('refuses an HTML page after its first bytes, before downloading anything', async () => {
    const page = Buffer.from(`<!DOCTYPE html><html><body>Sign in to continue</body></html>${' '.repeat(100_000)}`);
    const error = await failure(download(serve({ body: page, contentType: 'text/html' })));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('looks like an HTML or XML page');
    expect(error.message).toContain('nothing was downloaded');
    expect(server.requests.map((r) => r.headers.range)).toEqual(['bytes=0-15']);
    expect(await listModels()).toEqual([]);
  });

  it('refuses a GGUF whose tensor data is missing, keeping nothing', async () => {
    const cut = await failure(download(serve({ body: tiny.subarray(0, 4096) })));
    expect(cut.kind).toBe('validation');
    expect(cut.message).toContain('incomplete download');
    expect(cut.message).toContain('nothing was kept');
    expect(await listModels()).toEqual([]);
    expect(await listStaged()).toEqual([]);
  });

  it('resumes an interrupted download where it stopped, and verifies the whole file', async () => {
    const big = buildLargeGguf(16 * 1024 * 1024);
    // The link drops just past the first 5 MiB chunk of the downloader: later bytes never arrive.
    const stallFrom = 5 * 1024 * 1024 + 1000;
    const url = serve({ body: big, stallFrom }, '/big.gguf');
    const controller = new AbortController();
    const first = download(url, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading' && p.bytesDone >= 5 * 1024 * 1024) setTimeout(() => controller.abort(), 300);
      },
    });
    const interrupted = await failure(first);
    expect(interrupted.message).toContain('cancelled at');
    expect(interrupted.message).toContain('pull again to resume');
    expect(await listStaged()).toEqual(['big.gguf.ipull']);
    expect(await listModels()).toEqual([]);

    server.serve('/big.gguf', { body: big });
    const before = server.requests.length;
    const result = await download(url);
    const again = server.requests.slice(before);
    expect(result.resumedFrom).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    // Only the probe and the size lookup start at 0; no range asks for the first chunk again.
    const dataRanges = again.filter(
      (r) => r.status === 206 && r.headers.range !== 'bytes=0-15' && r.headers.range !== 'bytes=0-0',
    );
    expect(dataRanges.length).toBeGreaterThan(0);
    for (const request of dataRanges) expect(rangeStart(request.headers.range)).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    expect((await readFile(result.path)).equals(big)).toBe(true);
    expect(await listStaged()).toEqual([]);
  });

  it('downloads every part of a split model from its first part, and reads it as one model', async () => {
    const [first, second] = buildSplitGguf();
    server.serve('/split-00001-of-00002.gguf', { body: first });
    server.serve('/split-00002-of-00002.gguf', { body: second });
    const result = await download(`${server.url}/split-00001-of-00002.gguf`);
    expect(result.fileName).toBe('split-00001-of-00002.gguf');
    expect(result.files.map((f) => f.slice(modelsDir.length + 1)).sort()).toEqual([
      'split-00001-of-00002.gguf',
      'split-00002-of-00002.gguf',
    ]);
    expect(result.facts).toMatchObject({
      splitCount: 2,
      tensorCount: 3,
      name: 'split in two',
      contextLength: 2048,
      fileSize: first.length + second.length,
    });
    expect((await readFile(join(modelsDir, 'split-00002-of-00002.gguf'))).equals(second)).toBe(true);
  });

  it('refuses a split model whose second part is not a GGUF, keeping no part', async () => {
    const [first] = buildSplitGguf();
    server.serve('/bad-00001-of-00002.gguf', { body: first });
    server.serve('/bad-00002-of-00002.gguf', { body: Buffer.from(`<html>not here</html>${' '.repeat(1000)}`) });
    const error = await failure(download(`${server.url}/bad-00001-of-00002.gguf`));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('bad-00002-of-00002.gguf: it looks like an HTML');
    expect(await listModels()).toEqual([]);
    expect(await listStaged()).toEqual([]);
  });

  it('checks free disk space, keeping the reserve, before writing anything', async () => {
    const error = await failure(download(serve(), { reserveBytes: 1e18 }));
    expect(error.kind).toBe('runtime');
    expect(error.message).toContain('not enough disk space');
    expect(error.message).toContain('safety.min_free_disk_gb');
    expect(await listModels()).toEqual([]);
  });

  it('resolves hf: URIs against the hub, sends the token to a gated repository there and never logs it', async () => {
    const token = 'hf_abcdefghijklmnopqrstuvwxyz0123456789';
    server.serve('/someone/tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf', { body: tiny, requireBearer: token });
    const logStream = new PassThrough();
    const logged: Buffer[] = [];
    logStream.on('data', (c: Buffer) => logged.push(c));
    const result = await downloadModel({
      uri: 'hf:someone/tiny-GGUF/tiny-Q4_K_M.gguf',
      probeUrl: `${server.url}/someone/tiny-GGUF/resolve/main/tiny-Q4_K_M.gguf`,
      fileName: 'tiny-Q4_K_M.gguf',
      modelsDir,
      hubUrl: server.url,
      token,
      log: pino({ level: 'trace' }, logStream),
    });
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
    // Every byte came from requests that carried the token (node-llama-cpp adds it where the hub asks for it).
    const served = server.requests.filter((r) => r.status === 200 || r.status === 206);
    expect(served.length).toBeGreaterThan(1);
    for (const request of served) expect(request.headers.authorization).toBe(`Bearer ${token}`);
    const text = Buffer.concat(logged).toString();
    expect(text).toContain('downloading model');
    expect(text).not.toContain(token);
  });

  it('allows one download of a file at a time', async () => {
    const big = buildLargeGguf(8 * 1024 * 1024);
    const url = serve({ body: big, stallFrom: 1024 * 1024 }, '/slow.gguf');
    const controller = new AbortController();
    let started!: () => void;
    const downloading = new Promise<void>((resolve) => (started = resolve));
    const first = download(url, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'downloading' || (p.phase === 'connecting' && p.bytesTotal !== null)) started();
      },
    });
    await downloading;
    const second = await failure(download(url));
    expect(second.kind).toBe('conflict');
    expect(second.message).toContain(`process ${process.pid}`);
    controller.abort();
    await failure(first);
  });

  it('gives up on a stalled server, keeping what arrived for the next pull', async () => {
    const big = buildLargeGguf(8 * 1024 * 1024);
    const error = await failure(
      download(serve({ body: big, stallFrom: 5 * 1024 * 1024 + 1000 }, '/stall.gguf'), { idleTimeoutMs: 1000 }),
    );
    expect(error.message).toContain('sent nothing for');
    expect(error.message).toContain('pull again to resume');
    expect(await listStaged()).toEqual(['stall.gguf.ipull']);
  });

  it('does not accept a file already lying in the staging folder without verifying it', async () => {
    await mkdir(stagingDirFor(modelsDir), { recursive: true });
    await writeFile(join(stagingDirFor(modelsDir), 'm.gguf'), 'junk');
    const result = await download(serve());
    expect((await readFile(result.path)).equals(tiny)).toBe(true);
  });
});
