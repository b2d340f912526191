// Downloads a GGUF model into <home>/models through node-llama-cpp's model downloader (ipull under the
// hood: parallel ranges, resume from its `.ipull` progress file, every part of a split model, `hf:`
// URIs resolved against the hub or a mirror). What this file adds on top, because the library does not:
// - one download of a model at a time across processes (the engine's process lock);
// - a probe of the first bytes before anything is written: a file that is gone answers a clear
//   not-found naming the URI, and an HTML error or sign-in page is refused after 16 bytes;
// - the free disk space checked against what is left to fetch, keeping safety.min_free_disk_gb;
// - files land in <models>/.downloads first and move into the models folder only after the GGUF
//   check passed (header read by node-llama-cpp, every part present, tensor data there), so a half or
//   wrong file is never mistaken for a model;
// - a stall watchdog, and messages that say what was kept and how to resume.
import { importNodeLlamaCpp } from '../llm/node-llama-cpp';
import { mkdir, readdir, rename, rm, statfs } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { ModelDownloader } from 'node-llama-cpp';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Logger } from '../log/logger';
import { formatBytes } from './byte-size';
import { acquireDownloadLock, downloadLockFile } from './download-lock';
import { inspectModelFile } from './gguf-facts';
import type { GgufFacts } from './gguf-facts';
import { checkGgufStart, ggufStartLength } from './gguf-start';
import type { DownloadProgress } from '../../../src-shared/domain/models';

export type { DownloadProgress };

export interface DownloadModelOptions {
  /** What node-llama-cpp downloads: an http(s) URL or an `hf:` URI. */
  uri: string;
  /** The http(s) URL of the (first) file, probed before the download; null when only the hub can resolve it (`hf:USER/REPO:QUANT`). */
  probeUrl: string | null;
  /** The file name in the models folder when known beforehand; otherwise node-llama-cpp's choice. */
  fileName: string | null;
  modelsDir: string;
  log: Logger;
  /** The hub base URL (`hf:` URIs resolve against it; the token goes only there). */
  hubUrl: string;
  /** The source is on the hub; otherwise node-llama-cpp is not told about the hub at all (it matches hosts, not ports). Default true. */
  onHub?: boolean;
  /** Hugging Face token, sent to the hub only. Never logged. */
  token?: string | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Disk space that must stay free after the download (safety.min_free_disk_gb). Default 0. */
  reserveBytes?: number | undefined;
  /** No progress for this long stops the download as stalled (resumable). Default 60 s. */
  idleTimeoutMs?: number | undefined;
  /** Least time between two progress events. Default 250 ms. */
  progressIntervalMs?: number | undefined;
}

export interface DownloadResult {
  /** The model file in the models folder (the first part of a split model). */
  path: string;
  fileName: string;
  /** Every file moved into the models folder (the parts of a split model). */
  files: string[];
  bytes: number;
  /** Bytes reused from an earlier interrupted download (0 for a fresh one). */
  resumedFrom: number;
  facts: GgufFacts;
}

/** Where unfinished and unverified downloads live, beside the models and never loaded from. */
export function stagingDirFor(modelsDir: string): string {
  return join(modelsDir, '.downloads');
}

/** node-llama-cpp (ipull) keeps an unfinished file as `<name>.ipull`, progress metadata appended. */
export const unfinishedSuffix = '.ipull';

export async function downloadModel(options: DownloadModelOptions): Promise<DownloadResult> {
  const staging = stagingDirFor(options.modelsDir);
  await mkdir(staging, { recursive: true });
  const lockName = options.fileName ?? options.uri.replace(/[^A-Za-z0-9._-]+/g, '_');
  const lock = await acquireDownloadLock(
    downloadLockFile(join(options.modelsDir, lockName)),
    options.fileName ?? options.uri,
  );
  try {
    return await new Transfer(options, staging).run();
  } finally {
    await lock.release();
  }
}

class Transfer {
  private lastEmit = 0;

  constructor(
    private readonly options: DownloadModelOptions,
    private readonly staging: string,
  ) {}

  async run(): Promise<DownloadResult> {
    const { options } = this;
    this.emit(
      { phase: 'connecting', bytesDone: 0, bytesTotal: null, resumedFrom: 0, bytesPerSecond: 0, etaSeconds: null },
      options.fileName ?? options.uri,
      true,
    );
    if (options.probeUrl !== null) await this.probe(options.probeUrl);
    const downloader = await this.create();
    const fileName = downloader.entrypointFilename;
    const resumedFrom = downloader.downloadedSize;
    const total = downloader.totalSize;
    await this.checkDiskSpace(total - resumedFrom, downloader);
    options.log.info(
      { uri: describe(options.uri), fileName, resumeFrom: resumedFrom, bytes: total },
      resumedFrom > 0 ? 'resuming model download' : 'downloading model',
    );
    this.emit(
      {
        phase: 'connecting',
        bytesDone: resumedFrom,
        bytesTotal: total,
        resumedFrom,
        bytesPerSecond: 0,
        etaSeconds: null,
      },
      fileName,
      true,
    );
    await this.transfer(downloader, fileName, resumedFrom);
    return this.accept(downloader, fileName, resumedFrom);
  }

  /** The first bytes of the file: is it there, and is it a GGUF at all? Nothing is written. */
  private async probe(url: string): Promise<void> {
    const { options } = this;
    const headers: Record<string, string> = {
      'user-agent': 'nocturnal-agent',
      'accept-encoding': 'identity',
      range: `bytes=0-${ggufStartLength - 1}`,
    };
    if (options.token && sameOrigin(url, options.hubUrl)) headers['authorization'] = `Bearer ${options.token}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers,
        redirect: 'follow',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted)
        throw new NocturnalError('runtime', `download of ${options.uri} cancelled before it started`, { cause: error });
      throw new NocturnalError('runtime', `cannot reach ${describe(url)}: ${rootMessage(error)}`, { cause: error });
    }
    const head = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0))).subarray(0, ggufStartLength);
    if (response.status === 404 || response.status === 410) {
      throw new NocturnalError(
        'not_found',
        `${options.uri} does not exist (HTTP ${response.status} from ${describe(url)}): the repository or file is gone or misspelt; check the user, repository and file name`,
      );
    }
    if (!response.ok)
      throw new NocturnalError(
        'runtime',
        `${describe(url)} answered HTTP ${response.status}${httpHint(response.status)}`,
      );
    const problem = checkGgufStart(head);
    if (problem)
      throw new NocturnalError(
        'validation',
        `${options.uri} is not a GGUF model: ${problem.reason}; nothing was downloaded`,
      );
  }

  private async create(): Promise<ModelDownloader> {
    const { options } = this;
    try {
      // Imported on use: node-llama-cpp is heavy and only a pull needs its downloader.
      const { createModelDownloader } = await importNodeLlamaCpp();
      return await createModelDownloader({
        modelUri: options.uri,
        dirPath: this.staging,
        ...(options.fileName === null ? {} : { fileName: options.fileName }),
        headers: { 'user-agent': 'nocturnal-agent' },
        // Kept on cancel and on failure: the next pull resumes it.
        deleteTempFileOnCancel: false,
        skipExisting: false,
        ...(options.onHub === false ? {} : { endpoints: { huggingFace: `${options.hubUrl.replace(/\/+$/, '')}/` } }),
        ...(options.token && options.onHub !== false ? { tokens: { huggingFace: options.token } } : {}),
      });
    } catch (error) {
      throw new NocturnalError(
        'runtime',
        `cannot start downloading ${options.uri}: ${rootMessage(error)}${statusHint(error)}`,
        { cause: error },
      );
    }
  }

  private async transfer(downloader: ModelDownloader, fileName: string, resumedFrom: number): Promise<void> {
    const { options } = this;
    const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    const stop = new AbortController();
    let stalled = false;
    let lastBytes = downloader.downloadedSize;
    let lastMove = Date.now();
    const started = Date.now();
    const watchdog = setInterval(
      () => {
        const now = downloader.downloadedSize;
        if (now !== lastBytes) {
          lastBytes = now;
          lastMove = Date.now();
          this.progress(downloader, fileName, resumedFrom, started, false);
        } else if (Date.now() - lastMove >= idleTimeoutMs) {
          stalled = true;
          stop.abort(new Error('stalled'));
        }
      },
      Math.max(10, Math.min(250, idleTimeoutMs / 4)),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let onAbort = (): void => undefined;
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      const finished = downloader.download({ signal });
      finished.catch(() => undefined);
      // A download cancelled while ipull is still starting its streams may never settle: the abort is
      // waited for beside it, and the progress file is closed (kept) before the error is reported.
      await Promise.race([
        finished,
        aborted.then(() => downloader.cancel({ deleteTempFile: false }).catch(() => undefined)),
      ]);
      // A cancelled download ends quietly in ipull: only the state tells it from a finished one.
      if (signal.aborted) throw signal.reason;
      if (downloader.totalSize > 0 && downloader.downloadedSize < downloader.totalSize)
        throw new Error('the transfer ended early');
    } catch (error) {
      const of = `${formatBytes(downloader.downloadedSize)} of ${formatBytes(downloader.totalSize)}`;
      const kept = `; what arrived is kept in ${this.staging}: pull again to resume`;
      if (options.signal?.aborted)
        throw new NocturnalError('runtime', `download of ${fileName} cancelled at ${of}${kept}`, { cause: error });
      if (stalled)
        throw new NocturnalError(
          'runtime',
          `${describe(options.uri)} sent nothing for ${Math.round(idleTimeoutMs / 1000)} s (at ${of})${kept}`,
          { cause: error },
        );
      if ((error as NodeJS.ErrnoException).code === 'ENOSPC')
        throw new NocturnalError('runtime', `the disk filled up at ${of}; free some space${kept}`, { cause: error });
      throw new NocturnalError(
        'runtime',
        `downloading ${describe(options.uri)} failed at ${of}: ${rootMessage(error)}${statusHint(error)}${kept}`,
        { cause: error },
      );
    } finally {
      clearInterval(watchdog);
      signal.removeEventListener('abort', onAbort);
    }
    this.progress(downloader, fileName, resumedFrom, started, true);
  }

  /** Verifies what arrived and moves it into the models folder; a bad file is deleted, never kept. */
  private async accept(downloader: ModelDownloader, fileName: string, resumedFrom: number): Promise<DownloadResult> {
    const { options } = this;
    const staged = downloader.filesInfo.map((f) => f.filePath);
    const entry = join(this.staging, fileName);
    const bytes = downloader.totalSize;
    this.emit(
      { phase: 'verifying', bytesDone: bytes, bytesTotal: bytes, resumedFrom, bytesPerSecond: 0, etaSeconds: null },
      fileName,
      true,
    );
    const check = await inspectModelFile(entry);
    if (!check.ok) {
      for (const file of staged) await rm(file, { force: true });
      throw new NocturnalError(
        'validation',
        `the file from ${describe(options.uri)} is not a usable GGUF model: ${check.reason}; nothing was kept`,
      );
    }
    const files: string[] = [];
    for (const file of staged) {
      const target = join(options.modelsDir, basename(file));
      await rename(file, target);
      files.push(target);
    }
    await rm(this.staging, { recursive: false }).catch(() => undefined);
    const path = join(options.modelsDir, fileName);
    options.log.info(
      { file: path, parts: files.length, bytes, architecture: check.facts.architecture },
      'model downloaded',
    );
    return { path, fileName, files, bytes, resumedFrom, facts: check.facts };
  }

  private async checkDiskSpace(needed: number, downloader: ModelDownloader): Promise<void> {
    const reserve = this.options.reserveBytes ?? 0;
    const fsStats = await statfs(this.options.modelsDir);
    const free = fsStats.bavail * fsStats.bsize;
    if (needed + reserve <= free) return;
    await downloader.cancel({ deleteTempFile: false }).catch(() => undefined);
    const reserveNote = reserve > 0 ? ` and keep ${formatBytes(reserve)} free (safety.min_free_disk_gb)` : '';
    throw new NocturnalError(
      'runtime',
      `not enough disk space in ${this.options.modelsDir}: the download needs ${formatBytes(needed)}${reserveNote}, but only ${formatBytes(free)} is free`,
    );
  }

  private progress(
    downloader: ModelDownloader,
    fileName: string,
    resumedFrom: number,
    started: number,
    force: boolean,
  ): void {
    const done = downloader.downloadedSize;
    const total = downloader.totalSize;
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? Math.max(0, done - resumedFrom) / seconds : 0;
    const eta = rate > 0 ? (total - done) / rate : null;
    this.emit(
      { phase: 'downloading', bytesDone: done, bytesTotal: total, resumedFrom, bytesPerSecond: rate, etaSeconds: eta },
      fileName,
      force,
    );
  }

  private emit(progress: Omit<DownloadProgress, 'fileName'>, fileName: string, force: boolean): void {
    // Forced events (phase changes, the last byte) do not count against the interval.
    if (!force) {
      const now = Date.now();
      if (now - this.lastEmit < (this.options.progressIntervalMs ?? 250)) return;
      this.lastEmit = now;
    }
    try {
      this.options.onProgress?.({ fileName, ...progress });
    } catch (error) {
      // A broken progress display must not break the download.
      this.options.log.debug({ err: error }, 'progress callback failed');
    }
  }
}

/** Unfinished downloads in the staging folder: model file name → its `.ipull` file. */
export async function unfinishedDownloads(modelsDir: string): Promise<Map<string, string>> {
  const staging = stagingDirFor(modelsDir);
  const names = await readdir(staging).catch(() => [] as string[]);
  const found = new Map<string, string>();
  for (const name of names)
    if (name.endsWith(unfinishedSuffix)) found.set(name.slice(0, -unfinishedSuffix.length), join(staging, name));
  return found;
}

/** The URL or URI without its query: signed or tokenised query strings never reach logs or messages. */
function describe(uri: string): string {
  try {
    const parsed = new URL(uri);
    return parsed.protocol === 'hf:' ? uri : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return uri;
  }
}

function sameOrigin(url: string, hubUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(hubUrl).origin;
  } catch {
    return false;
  }
}

function httpHint(status: number): string {
  if (status === 401 || status === 403) {
    return ' (the model is gated or private, or the repository does not exist: check the name, accept the license on the hub, and set HF_TOKEN)';
  }
  if (status === 429) return ' (rate limited: try again later, or set HF_TOKEN)';
  if (status >= 500) return ' (a server error: try again later)';
  return '';
}

/** ipull's StatusCodeError carries the HTTP status; say what it means. */
function statusHint(error: unknown): string {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? httpHint(status) : '';
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
