// Synchronous reads for the engine's own bookkeeping of a worktree (integrity checks, the `.git`
// walk): small files and folder listings, where a missing or unreadable entry is an answer (null,
// empty), not an error. Synchronous because each one costs less than a thread-pool round trip.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import type { BigIntStats, Dirent, Stats } from 'node:fs';

export function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/** lstat with nanosecond times (keys that must change with every write). */
export function lstatBigOrNull(file: string): BigIntStats | null {
  try {
    return lstatSync(file, { bigint: true });
  } catch {
    return null;
  }
}

export function readTextOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** The folder's entries with their types; empty when it cannot be listed. */
export function listOrEmpty(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}
