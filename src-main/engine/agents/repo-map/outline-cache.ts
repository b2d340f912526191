// Outlines cached by content: an outline depends only on the file's path (its language) and its bytes,
// so it is kept under the path and the git blob id of those bytes, computed from the bytes read, never
// taken on trust. Which content a path holds is known two ways:
// - an attempt's first build sees exactly its start commit (the pooled worktree's reset or a fresh
//   checkout made it so, verified), and the commit's file list names each file's blob: a file whose
//   blob was parsed before costs nothing, not even an lstat (issue 12: up to 3,000 lstat per attempt);
// - every later build (the model has edited files since) asks the file system: path, size, mtime,
//   ctime, inode and device stand for the blob read last time. ctime cannot be set back by anything
//   that writes a file (utimes moves it too), so a file rewritten to the same size and mtime still
//   misses, is read and hashed again, and is parsed only if that content was never seen.
// One cache per session (scheduler/session-runner), shared by its pooled worktrees (the same content
// at the same path is the same outline in any of them), bounded: least recently used entries go first.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileOutline } from './parse-symbols';
import { parseSymbols } from './parse-symbols';

// Larger files are generated or vendored more often than not; the map shows them by path.
const MAX_PARSE_BYTES = 256 * 1024;
/** Entries kept: a pool of a few worktrees of a large repository, each with its parsed share. */
const DEFAULT_MAX_ENTRIES = 20_000;
/** lstat calls in flight at once: the thread pool serves them side by side. */
const STAT_BATCH = 64;
/** Modes of index entries that are not regular files (symlink, submodule): no outline, as lstat says. */
const NOT_A_FILE = new Set(['120000', '160000']);

export interface CachedOutline {
  outline: FileOutline | null;
  /** The file's text, kept for symbol references and for reading a symbol's region. */
  source: string | null;
}

/** What the start commit holds at each path: git's mode and blob id (`ls-files --stage`). */
export interface CommitBlob {
  mode: string;
  oid: string;
}

const NONE: CachedOutline = { outline: null, source: null };

// The content key of a start commit's entry, per entry: a session keeps one listing per start commit
// and looks up its 3,000 keys on every attempt, and a key built afresh is hashed afresh each time.
const contentKeys = new WeakMap<CommitBlob, { file: string; oid: string; key: string }>();

function contentKeyOf(file: string, blob: CommitBlob): string {
  const known = contentKeys.get(blob);
  if (known?.file === file && known.oid === blob.oid) return known.key;
  const key = `${file}\0${blob.oid}`;
  contentKeys.set(blob, { file, oid: blob.oid, key });
  return key;
}

export class OutlineCache {
  /** `path NUL blob id` → outline of exactly that content. */
  private readonly byContent = new Map<string, CachedOutline>();
  /** Absolute path → the file system's key for it when it was last read, and the blob id read then. */
  private readonly byStat = new Map<string, { key: string; oid: string }>();
  /** Object format per worktree, from its start commit's ids: later builds hash the same way. */
  private readonly formats = new Map<string, ObjectFormat>();
  /** How many files were parsed (not served from the cache): the test of "repeated cycles are cheap". */
  parsed = 0;
  /** How many files were read from disk (a content hit still needs the bytes read and hashed). */
  read = 0;

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  /**
   * The outline of `file` under `root`. `blob`: what the worktree's start commit holds there, given
   * only while the worktree is known to be exactly that commit (an attempt's first build).
   */
  async get(root: string, file: string, blob?: CommitBlob): Promise<CachedOutline> {
    return this.byBlob(file, blob) ?? this.fromFileSystem(root, file);
  }

  /** The outline the start commit's blob is known to have, without asking the file system; else undefined. */
  private byBlob(file: string, blob: CommitBlob | undefined): CachedOutline | undefined {
    if (blob === undefined) return undefined;
    if (NOT_A_FILE.has(blob.mode)) return NONE;
    return this.touch(this.byContent, contentKeyOf(file, blob));
  }

  private async fromFileSystem(root: string, file: string): Promise<CachedOutline> {
    const absolute = path.join(root, file);
    let stat;
    try {
      stat = await fs.lstat(absolute, { bigint: true });
    } catch {
      return NONE;
    }
    if (!stat.isFile() || stat.size > BigInt(MAX_PARSE_BYTES)) return NONE;
    const key = `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}:${stat.dev}`;
    const seen = this.touch(this.byStat, absolute);
    if (seen?.key === key) {
      const value = this.touch(this.byContent, `${file}\0${seen.oid}`);
      if (value !== undefined) return value;
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(absolute);
    } catch {
      return NONE;
    }
    this.read++;
    // The blob id in the repository's own format (its start commit's ids said which; SHA-1 otherwise).
    const oid = blobId(bytes, this.formats.get(root) ?? 'sha1');
    this.put(this.byStat, absolute, { key, oid });
    const contentKey = `${file}\0${oid}`;
    const known = this.touch(this.byContent, contentKey);
    if (known !== undefined) return known;
    const source = bytes.toString('utf8');
    const value: CachedOutline = source.includes('\0') ? NONE : { outline: await parseSymbols(file, source), source };
    this.parsed++;
    this.put(this.byContent, contentKey, value);
    return value;
  }

  /**
   * The outlines of `files` under `root`, in their order; the file system is asked in batches.
   * `blobs`: the start commit's entries, only while the worktree is exactly that commit.
   */
  async getAll(
    root: string,
    files: readonly string[],
    blobs?: ReadonlyMap<string, CommitBlob>,
  ): Promise<Map<string, CachedOutline>> {
    const out = new Map<string, CachedOutline>();
    const first = blobs?.values().next().value;
    if (first !== undefined) this.formats.set(root, first.oid.length === 64 ? 'sha256' : 'sha1');
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH);
      // Blob hits are answered at once: an attempt's first build finds nearly every file so, and an
      // await per file cost more than the lookups (issue 12). Only a batch with misses waits for them.
      const values = batch.map((file) => this.byBlob(file, blobs?.get(file)));
      const misses: number[] = [];
      for (let j = 0; j < values.length; j++) if (values[j] === undefined) misses.push(j);
      if (misses.length > 0) {
        const read = await Promise.all(misses.map((j) => this.fromFileSystem(root, batch[j] ?? '')));
        misses.forEach((j, k) => (values[j] = read[k]));
      }
      batch.forEach((file, j) => out.set(file, values[j] ?? NONE));
    }
    return out;
  }

  /**
   * The outlines of `files` when every one is known by the start commit's blob id, without touching
   * the file system; null when any is not (its content would have to be read). What `getAll` gives
   * for the same arguments while the worktree holds that commit — and also before it does.
   */
  knownAll(files: readonly string[], blobs: ReadonlyMap<string, CommitBlob>): Map<string, CachedOutline> | null {
    const out = new Map<string, CachedOutline>();
    for (const file of files) {
      const value = this.byBlob(file, blobs.get(file));
      if (value === undefined) return null;
      out.set(file, value);
    }
    return out;
  }

  /** The entry, made the most recently used (the first entries are the ones to drop). */
  private touch<V>(map: Map<string, V>, key: string): V | undefined {
    const value = map.get(key);
    if (value !== undefined) {
      map.delete(key);
      map.set(key, value);
    }
    return value;
  }

  private put<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    for (const oldest of map.keys()) {
      if (map.size <= this.maxEntries) break;
      map.delete(oldest);
    }
  }
}

type ObjectFormat = 'sha1' | 'sha256';

/** Git's object id of a blob with these bytes (`git hash-object`). */
export function blobId(bytes: Buffer, format: ObjectFormat): string {
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
