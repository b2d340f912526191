// Only one engine per home may run sessions: two would pick the same tasks and race on the same refs.
// The lock is a file created with O_EXCL holding the owner's pid; a lock whose process is gone (crash,
// kill -9) is recovered, and a live one yields an error naming its holder.
import fs from 'node:fs';
import os from 'node:os';
import { NocturnalError } from '../errors/nocturnal-error';

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
}

export interface EngineLock {
  release(): void;
}

export function acquireEngineLock(file: string, purpose: string, now = new Date()): EngineLock {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), startedAt: now.toISOString(), purpose };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify(owner));
      fs.closeSync(fd);
      return {
        release() {
          const current = readOwner(file);
          if (current && current.pid === owner.pid && current.startedAt === owner.startedAt) fs.rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readOwner(file);
      if (holder && isAlive(holder)) {
        throw new NocturnalError(
          'conflict',
          `another Nocturnal engine is already running for this home (pid ${holder.pid} on ${holder.host}, ${holder.purpose}, since ${holder.startedAt}); stop it first or use another --home`,
        );
      }
      // Stale: its process is gone (or the file is damaged). Remove and try again.
      fs.rmSync(file, { force: true });
    }
  }
  throw new NocturnalError('conflict', `could not take the engine lock at ${file}`);
}

export function readLockOwner(file: string): LockOwner | undefined {
  const owner = readOwner(file);
  return owner && isAlive(owner) ? owner : undefined;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt), purpose: String(parsed.purpose ?? 'session') };
  } catch {
    return undefined;
  }
}

function isAlive(owner: LockOwner): boolean {
  // A lock from another host (a home on a shared drive) cannot be checked: treat it as held.
  if (owner.host !== os.hostname()) return true;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
