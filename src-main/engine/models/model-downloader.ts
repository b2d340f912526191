// Downloads one GGUF model into <home>/models, the way a multi-gigabyte file over a home connection
// needs it:
// - bytes go to <file>.partial and the file appears under its real name only after the whole body
//   arrived and passed the GGUF check (an atomic rename), so a half file is never mistaken for a model;
// - an interruption (connection lost, stalled server, cancel, disk full, process killed) keeps the
//   .partial, and the next pull resumes it with an HTTP Range request; a server that answers 200
//   instead of 206 sends the whole file again, so the .partial is truncated and rewritten;
// - an explicit failure removes the .partial: the file does not exist (404/410), or what arrived is
//   not a usable GGUF. Failures that may pass (401/403 before a token is set, 429, 5xx) keep it;
// - the free disk space is checked against Content-Length before the first byte is written;
// - the hub token is sent only when the caller passes it (the hub's own URLs), and is never logged.
// A resumed file is not re-validated against the server's ETag: if a repository replaced the file
// between two attempts the splice could pass the header check, so `model remove` + pull starts over.
import { mkdir, open, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Logger } from '../log/logger';
import { formatBytes } from './byte-size';
import { acquireDownloadLock, downloadLockFile } from './download-lock';
import { checkGgufStart, ggufStartLength, inspectGguf } from './gguf-verify';
import type { GgufFacts } from './gguf-verify';
import type { DownloadProgress } from '../../../src-shared/domain/models';

export type { DownloadProgress };

export interface DownloadModelOptions {
  url: string;
  /** Name inside modelsDir; the download is kept as `<fileName>.partial` until it is complete. */
  fileName: string;
  modelsDir: string;
  log: Logger;
  /** Sent as `Authorization: Bearer …`. Pass it only for the model hub's own URLs. Never logged. */
  token?: string | undefined;
  onProgress?: ((progress: DownloadProgress) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Disk space that must stay free after the download (safety.min_free_disk_gb). Default 0. */
  reserveBytes?: number | undefined;
  /** No data for this long fails the attempt as stalled (resumable). Default 60 s. */
  idleTimeoutMs?: number | undefined;
  /** Least time between two progress events. Default 250 ms. */
  progressIntervalMs?: number | undefined;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** Bytes reused from an earlier .partial (0 for a fresh download). */
  resumedFrom: number;
  facts: GgufFacts;
}

export function partialPathFor(modelPath: string): string {
  return `${modelPath}.partial`;
}

export async function downloadModel(options: DownloadModelOptions): Promise<DownloadResult> {
  await mkdir(options.modelsDir, { recursive: true });
  const finalPath = join(options.modelsDir, options.fileName);
  const lock = await acquireDownloadLock(downloadLockFile(finalPath), options.fileName);
  try {
    return await new Transfer(options, finalPath).run();
  } finally {
    await lock.release();
  }
}

type Plan = { kind: 'write'; start: number; total: number | null; response: Response } | { kind: 'complete'; total: number } | { kind: 'restart' };

class Transfer {
  private readonly partialPath: string;
  private readonly where: string;
  private readonly idleTimeoutMs: number;
  private readonly progressIntervalMs: number;
  private idle = new AbortController();
  private idleTimer: NodeJS.Timeout | undefined;
  private lastEmit = 0;

  constructor(
    private readonly options: DownloadModelOptions,
    private readonly finalPath: string,
  ) {
    this.partialPath = partialPathFor(finalPath);
    this.where = describeUrl(options.url);
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
    this.progressIntervalMs = options.progressIntervalMs ?? 250;
  }

  async run(): Promise<DownloadResult> {
    try {
      // Two rounds at most: the second only after the server's answer to a Range request showed the
      // .partial cannot be continued (wrong range, or a .partial longer than the file).
      for (let round = 0; round < 2; round++) {
        const offset = await fileSize(this.partialPath);
        const plan = await this.request(offset);
        if (plan.kind === 'restart') {
          await rm(this.partialPath, { force: true });
          continue;
        }
        const resumedFrom = plan.kind === 'write' ? plan.start : plan.total;
        const total = plan.kind === 'write' ? await this.write(plan) : plan.total;
        return await this.finish(total, resumedFrom);
      }
      throw new NocturnalError('runtime', `${this.where} twice answered a resume request with a range that does not fit; try again later`);
    } finally {
      // Whatever happened, no stall timer may outlive the transfer (it would hold the process open).
      this.stopIdle();
    }
  }

  private async request(offset: number): Promise<Plan> {
    const { options } = this;
    const headers: Record<string, string> = { 'user-agent': 'nocturnal-agent', 'accept-encoding': 'identity' };
    if (offset > 0) headers['range'] = `bytes=${offset}-`;
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    options.log.info({ url: this.where, resumeFrom: offset }, offset > 0 ? 'resuming model download' : 'downloading model');
    this.emit({ phase: 'connecting', bytesDone: offset, bytesTotal: null, resumedFrom: offset, bytesPerSecond: 0, etaSeconds: null }, true);

    let response: Response;
    this.kickIdle();
    try {
      response = await fetch(options.url, { headers, signal: this.signal(), redirect: 'follow' });
    } catch (error) {
      this.stopIdle();
      throw this.interrupted(error, offset, null);
    }

    if (response.status === 416 && offset > 0) {
      await discard(response);
      this.stopIdle();
      const total = parseUnsatisfiedRange(response.headers.get('content-range'));
      // The earlier attempt got every byte but stopped before the rename.
      if (total === offset) return { kind: 'complete', total };
      options.log.warn({ url: this.where, partial: offset, remote: total }, 'the .partial does not fit the remote file; starting over');
      return { kind: 'restart' };
    }
    if (response.status === 404 || response.status === 410) {
      await discard(response);
      this.stopIdle();
      await rm(this.partialPath, { force: true });
      throw new NocturnalError('not_found', `${this.where} does not exist (HTTP ${response.status}); check the user, repository and file name`);
    }
    if (!response.ok) {
      await discard(response);
      this.stopIdle();
      throw new NocturnalError('runtime', `${this.where} answered HTTP ${response.status}${httpHint(response.status)}${keptNote(offset, this.partialPath)}`);
    }

    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (!range || range.start !== offset) {
        await discard(response);
        this.stopIdle();
        options.log.warn({ url: this.where, asked: offset, got: range?.start ?? null }, 'the server resumed at a different byte; starting over');
        return { kind: 'restart' };
      }
      return { kind: 'write', start: offset, total: range.total, response };
    }
    if (offset > 0) options.log.info({ url: this.where }, 'the server ignored the Range request; downloading the whole file again');
    return { kind: 'write', start: 0, total: parseLength(response.headers.get('content-length')), response };
  }

  private async write(plan: Extract<Plan, { kind: 'write' }>): Promise<number | null> {
    const { start, total, response } = plan;
    const previous = await fileSize(this.partialPath);
    await this.checkDiskSpace(total === null ? 0 : total - start, start === 0 ? previous : 0, response);

    const handle = await open(this.partialPath, start === 0 ? 'w' : 'a');
    let done = start;
    const head: Buffer[] = [];
    let headBytes = 0;
    let sniffing = start === 0;
    const connectedAt = Date.now();
    const progress = (force: boolean) => {
      const seconds = (Date.now() - connectedAt) / 1000;
      const rate = seconds > 0 ? (done - start) / seconds : 0;
      const eta = total !== null && rate > 0 ? (total - done) / rate : null;
      this.emit({ phase: 'downloading', bytesDone: done, bytesTotal: total, resumedFrom: start, bytesPerSecond: rate, etaSeconds: eta }, force);
    };
    const refuseStart = async (): Promise<never> => {
      const problem = checkGgufStart(Buffer.concat(head));
      await handle.close();
      await rm(this.partialPath, { force: true });
      throw new NocturnalError('validation', `${this.where} is not a GGUF model: ${problem?.reason ?? 'unknown start'}; nothing was kept`);
    };

    try {
      const reader = response.body?.getReader();
      for (;;) {
        const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
        if (chunk.done) break;
        this.kickIdle();
        await handle.write(chunk.value);
        done += chunk.value.byteLength;
        if (sniffing) {
          head.push(Buffer.from(chunk.value.subarray(0, ggufStartLength - headBytes)));
          headBytes += Math.min(chunk.value.byteLength, ggufStartLength - headBytes);
          if (headBytes >= ggufStartLength) {
            sniffing = false;
            // An error page is refused after a few bytes, not after the whole body.
            if (checkGgufStart(Buffer.concat(head))) {
              await reader?.cancel().catch(() => undefined);
              await refuseStart();
            }
          }
        }
        progress(false);
      }
      await handle.sync();
    } catch (error) {
      this.stopIdle();
      if (error instanceof NocturnalError) throw error;
      await handle.close().catch(() => undefined);
      throw this.interrupted(error, done, total);
    }
    this.stopIdle();
    await handle.close();
    progress(true);

    if (total !== null && done < total) {
      throw new NocturnalError('runtime', `the connection to ${this.where} closed after ${formatBytes(done)} of ${formatBytes(total)}${keptNote(done, this.partialPath)}`);
    }
    if (total !== null && done > total) {
      await rm(this.partialPath, { force: true });
      throw new NocturnalError('runtime', `${this.where} sent ${done} bytes but announced ${total}; nothing was kept, try again`);
    }
    return done;
  }

  private async finish(total: number | null, resumedFrom: number): Promise<DownloadResult> {
    const size = await fileSize(this.partialPath);
    this.emit({ phase: 'verifying', bytesDone: size, bytesTotal: total ?? size, resumedFrom, bytesPerSecond: 0, etaSeconds: null }, true);
    const check = await inspectGguf(this.partialPath);
    if (!check.ok) {
      await rm(this.partialPath, { force: true });
      throw new NocturnalError('validation', `the file from ${this.where} is not a usable GGUF model: ${check.reason}; nothing was kept`);
    }
    if (check.facts.splitCount > 1) {
      await rm(this.partialPath, { force: true });
      throw new NocturnalError('validation', `the file from ${this.where} is one part of a model split into ${check.facts.splitCount} files; pull a single-file quantization`);
    }
    await rename(this.partialPath, this.finalPath);
    this.options.log.info({ file: this.finalPath, bytes: size, architecture: check.facts.architecture }, 'model downloaded');
    return { path: this.finalPath, bytes: size, resumedFrom, facts: check.facts };
  }

  private async checkDiskSpace(needed: number, freedByRestart: number, response: Response): Promise<void> {
    const reserve = this.options.reserveBytes ?? 0;
    const fsStats = await statfs(this.options.modelsDir);
    const free = fsStats.bavail * fsStats.bsize + freedByRestart;
    if (needed + reserve <= free) return;
    await discard(response);
    this.stopIdle();
    const reserveNote = reserve > 0 ? ` and keep ${formatBytes(reserve)} free (safety.min_free_disk_gb)` : '';
    throw new NocturnalError(
      'runtime',
      `not enough disk space in ${this.options.modelsDir}: the download needs ${formatBytes(needed)}${reserveNote}, but only ${formatBytes(free)} is free`,
    );
  }

  /** Describes an interruption; the .partial stays so that the next pull resumes. */
  private interrupted(error: unknown, done: number, total: number | null): NocturnalError {
    const of = total === null ? formatBytes(done) : `${formatBytes(done)} of ${formatBytes(total)}`;
    const kept = keptNote(done, this.partialPath);
    if (this.options.signal?.aborted) return new NocturnalError('runtime', `download of ${this.options.fileName} cancelled at ${of}${kept}`, { cause: error });
    if (this.idle.signal.aborted) {
      return new NocturnalError('runtime', `${this.where} sent nothing for ${Math.round(this.idleTimeoutMs / 1000)} s (at ${of})${kept}`, { cause: error });
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC') return new NocturnalError('runtime', `the disk filled up at ${of}; free some space${kept}`, { cause: error });
    return new NocturnalError('runtime', `downloading ${this.where} failed at ${of}: ${rootMessage(error)}${kept}`, { cause: error });
  }

  private signal(): AbortSignal {
    return this.options.signal ? AbortSignal.any([this.options.signal, this.idle.signal]) : this.idle.signal;
  }

  private kickIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.idle.abort(new Error('stalled')), this.idleTimeoutMs);
  }

  private stopIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private emit(progress: Omit<DownloadProgress, 'fileName'>, force: boolean): void {
    // Forced events (phase changes, the last byte) do not count against the interval, so the first
    // bytes of a download always show at once.
    if (!force) {
      const now = Date.now();
      if (now - this.lastEmit < this.progressIntervalMs) return;
      this.lastEmit = now;
    }
    try {
      this.options.onProgress?.({ fileName: this.options.fileName, ...progress });
    } catch (error) {
      // A broken progress display must not break the download.
      this.options.log.debug({ err: error }, 'progress callback failed');
    }
  }
}

async function fileSize(file: string): Promise<number> {
  return stat(file).then(
    (s) => s.size,
    () => 0,
  );
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function parseLength(header: string | null): number | null {
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header.trim()) : null;
}

function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header?.trim() ?? '');
  if (!match?.[1] || !match[3]) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}

function parseUnsatisfiedRange(header: string | null): number | null {
  const match = /^bytes \*\/(\d+)$/.exec(header?.trim() ?? '');
  return match?.[1] ? Number(match[1]) : null;
}

/** The URL without its query: signed or tokenised query strings never reach logs or messages. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function keptNote(bytes: number, partialPath: string): string {
  return bytes > 0 ? `; ${formatBytes(bytes)} kept in ${partialPath}: pull again to resume` : '';
}

function httpHint(status: number): string {
  if (status === 401 || status === 403) {
    return ' (the model is gated or private, or the repository does not exist: check the name, accept the license on the hub, and set HF_TOKEN)';
  }
  if (status === 429) return ' (rate limited: try again later, or set HF_TOKEN)';
  if (status >= 500) return ' (a server error: try again later)';
  return '';
}

function rootMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
