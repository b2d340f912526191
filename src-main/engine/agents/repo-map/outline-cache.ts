// Outlines cached by (path, size, mtime): the improve loop rebuilds its context every cycle, and only
// the files a cycle changed need parsing again. One cache per attempt (no process-wide state).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FileOutline } from './parse-symbols';
import { parseSymbols } from './parse-symbols';

// Larger files are generated or vendored more often than not; the map shows them by path.
const MAX_PARSE_BYTES = 256 * 1024;

export interface CachedOutline {
  outline: FileOutline | null;
  /** The file's text, kept for symbol references and for reading a symbol's region. */
  source: string | null;
}

export class OutlineCache {
  private readonly entries = new Map<string, { key: string; value: CachedOutline }>();
  /** How many files were parsed (not served from the cache): the test of "repeated cycles are cheap". */
  parsed = 0;

  async get(root: string, file: string): Promise<CachedOutline> {
    const absolute = path.join(root, file);
    let stat;
    try {
      stat = await fs.lstat(absolute);
    } catch {
      return { outline: null, source: null };
    }
    if (!stat.isFile() || stat.size > MAX_PARSE_BYTES) return { outline: null, source: null };
    const key = `${stat.size}:${stat.mtimeMs}`;
    const cached = this.entries.get(file);
    if (cached?.key === key) return cached.value;
    const source = await fs.readFile(absolute, 'utf8');
    const value: CachedOutline = source.includes('\0')
      ? { outline: null, source: null }
      : { outline: await parseSymbols(file, source), source };
    this.parsed++;
    this.entries.set(file, { key, value });
    return value;
  }
}
