// Only one engine per home may run sessions: two would pick the same tasks and race on the same refs.
// The lock is the engine's one process lock (../locks/process-lock): held by the operating system for
// as long as the session's process lives, so a crashed engine never leaves a lock behind, and a live
// one yields an error naming its holder.
import { NocturnalError } from '../errors/nocturnal-error';
import { readProcessLockHolder, tryAcquireProcessLock } from '../locks/process-lock';
import type { LockHolder } from '../locks/process-lock';

export interface EngineLock {
  release(): void;
}

export function acquireEngineLock(file: string, purpose: string, now = new Date()): EngineLock {
  const attempt = tryAcquireProcessLock(file, purpose, now);
  if (attempt.acquired) return attempt.lock;
  const holder = attempt.holder;
  const who = holder
    ? `pid ${holder.pid} on ${holder.host}, ${holder.purpose}, since ${holder.startedAt}`
    : `see ${file}`;
  throw new NocturnalError(
    'conflict',
    `another Nocturnal engine is already running for this home (${who}); stop it first or use another --home`,
  );
}

export function readLockOwner(file: string): LockHolder | undefined {
  return readProcessLockHolder(file);
}
