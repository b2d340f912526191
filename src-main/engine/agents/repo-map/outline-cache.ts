// Outlines cached by where the file is and what the file system says about it (size, mtime, ctime,
// inode): the improve loop rebuilds its context every cycle, and a session's attempts reuse pooled
// worktrees, whose reset rewrites only the files that differ between two commits. So a cycle, and the
// next attempt in the same pooled worktree, parse only what changed. ctime cannot be set back by
// anything that writes a file (utimes moves it too), so a file rewritten to the same size and mtime
// still misses the cache. One cache per session (scheduler/session-runner), bounded: the least
// recently used entries go first.
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

export interface CachedOutline {
  outline: FileOutline | null;
  /** The file's text, kept for symbol references and for reading a symbol's region. */
  source: string | null;
}

const NONE: CachedOutline = { outline: null, source: null };

export class OutlineCache {
  private readonly entries = new Map<string, { key: string; value: CachedOutline }>();
  /** How many files were parsed (not served from the cache): the test of "repeated cycles are cheap". */
  parsed = 0;

  constructor(private readonly maxEntries = DEFAULT_MAX_ENTRIES) {}

  async get(root: string, file: string): Promise<CachedOutline> {
    const absolute = path.join(root, file);
    let stat;
    try {
      stat = await fs.lstat(absolute, { bigint: true });
    } catch {
      return NONE;
    }
    if (!stat.isFile() || stat.size > BigInt(MAX_PARSE_BYTES)) return NONE;
    const key = `${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.ino}:${stat.dev}`;
    const cached = this.entries.get(absolute);
    if (cached?.key === key) {
      // Most recently used last: the first entries are the ones to drop.
      this.entries.delete(absolute);
      this.entries.set(absolute, cached);
      return cached.value;
    }
    const source = await fs.readFile(absolute, 'utf8');
    const value: CachedOutline = source.includes('\0') ? NONE : { outline: await parseSymbols(file, source), source };
    this.parsed++;
    this.entries.delete(absolute);
    this.entries.set(absolute, { key, value });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
    return value;
  }

  /** The outlines of `files` under `root`, in their order; the file system is asked in batches. */
  async getAll(root: string, files: readonly string[]): Promise<Map<string, CachedOutline>> {
    const out = new Map<string, CachedOutline>();
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      const batch = files.slice(i, i + STAT_BATCH);
      const values = await Promise.all(batch.map((file) => this.get(root, file)));
      batch.forEach((file, j) => out.set(file, values[j] ?? NONE));
    }
    return out;
  }
}
