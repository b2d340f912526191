// The one lock implementation for "only one process at a time" in the engine: the engine lock (one
// engine per home runs sessions) and the model download lock (one writer per model file).
//
// It is an exclusive SQLite transaction held open on a small lock database, through better-sqlite3,
// the engine's database library. SQLite's file locks belong to the operating system: they vanish the
// moment the holding process dies, however it dies (kill -9, a crash, a power cut). So a lock is never
// stale, nothing ever takes one over, and the race of pid-file locks — two processes both judging a
// dead holder's file stale, one deleting the other's fresh lock — cannot happen: among processes
// racing for a lock, the kernel lets exactly one in.
//
// The lock file is never deleted (deleting it would let a process that opened the old file and one that
// created a new file both hold "the" lock). Who holds it is written beside it in `<file>.owner`, which
// is only believed while the lock is actually held. (Earlier versions used pid files at
// `<home>/engine.lock` and `<models>/<model>.lock`; the locks now live in `<home>/locks/`, so an old
// pid file is simply ignored.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
}

export interface ProcessLock {
  readonly holder: LockHolder;
  release(): void;
}

const ACQUIRE_WAIT_MS = 250;

export type LockAttempt = { acquired: true; lock: ProcessLock } | { acquired: false; holder: LockHolder | undefined };

export function tryAcquireProcessLock(file: string, purpose: string, now = new Date()): LockAttempt {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // A short wait rather than none: `readProcessLockHolder` takes the lock for an instant to see whether
  // it is free, and a session starting in that instant should not be turned away by it.
  const db = new Database(file, { timeout: ACQUIRE_WAIT_MS });
  if (!takeExclusive(db)) {
    db.close();
    return { acquired: false, holder: readOwnerFile(file) };
  }
  const holder: LockHolder = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString(), purpose };
  writeOwnerFile(file, holder);
  let released = false;
  return {
    acquired: true,
    lock: {
      holder,
      release() {
        if (released) return;
        released = true;
        // The owner file goes first: once the lock is released someone else may write theirs.
        const owner = readOwnerFile(file);
        if (owner && owner.pid === holder.pid && owner.startedAt === holder.startedAt)
          fs.rmSync(ownerFile(file), { force: true });
        db.exec('ROLLBACK');
        db.close();
      },
    },
  };
}

/** Who holds the lock now, or undefined when nobody does. */
export function readProcessLockHolder(file: string): LockHolder | undefined {
  if (!fs.existsSync(file)) return undefined;
  let db: SqliteDatabase;
  try {
    db = new Database(file, { timeout: 0, fileMustExist: true });
  } catch {
    return undefined;
  }
  try {
    if (takeExclusive(db)) {
      db.exec('ROLLBACK');
      return undefined;
    }
    return readOwnerFile(file) ?? { pid: 0, host: os.hostname(), startedAt: 'unknown', purpose: 'unknown' };
  } catch {
    // A home on a read-only file system cannot be locked by anyone: nothing holds it.
    return undefined;
  } finally {
    db.close();
  }
}

function takeExclusive(db: SqliteDatabase): boolean {
  try {
    db.exec('BEGIN EXCLUSIVE');
    return true;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return false;
    throw error;
  }
}

const ownerFile = (file: string) => `${file}.owner`;

function writeOwnerFile(file: string, holder: LockHolder): void {
  const temporary = `${ownerFile(file)}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(holder), { mode: 0o600 });
  fs.renameSync(temporary, ownerFile(file));
}

function readOwnerFile(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(ownerFile(file), 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      startedAt: String(parsed.startedAt),
      purpose: String(parsed.purpose ?? 'unknown'),
    };
  } catch {
    return undefined;
  }
}
