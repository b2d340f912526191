// One download per model file at a time, across processes: the tray app and the CLI share a home, and
// two writers appending to one .partial would interleave garbage that only the GGUF check would catch,
// gigabytes later. The lock is the engine's one process lock (../locks/process-lock): the operating
// system drops it when its process dies, so a killed download leaves nothing to take over.
import path from 'node:path';
import { NocturnalError } from '../errors/nocturnal-error';
import { tryAcquireProcessLock } from '../locks/process-lock';

export interface DownloadLock {
  release(): Promise<void>;
}

/**
 * The lock file for a model file: `<home>/locks/<file>.download.lock`, beside the models folder rather
 * than in it, so that folder holds only models and partial downloads.
 */
export function downloadLockFile(modelPath: string): string {
  return path.join(path.dirname(path.dirname(modelPath)), 'locks', `${path.basename(modelPath)}.download.lock`);
}

export async function acquireDownloadLock(lockFile: string, what: string): Promise<DownloadLock> {
  const attempt = tryAcquireProcessLock(lockFile, `download of ${what}`);
  if (!attempt.acquired) {
    const owner = attempt.holder ? `process ${attempt.holder.pid}` : 'another process';
    throw new NocturnalError(
      'conflict',
      `${what} is already being downloaded (${owner}); wait for it, or stop it and pull again to resume`,
    );
  }
  const { lock } = attempt;
  return {
    release: () => {
      lock.release();
      return Promise.resolve();
    },
  };
}
