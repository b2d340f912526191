// One download per model file at a time, across processes: the tray app and the CLI share a home, and
// two writers appending to one .partial would interleave garbage that only the GGUF check would catch,
// gigabytes later. The lock is a file holding the owner's pid, created exclusively; a lock whose
// process is gone (a crash, a killed terminal) is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { NocturnalError } from '../errors/nocturnal-error';

export interface DownloadLock {
  release(): Promise<void>;
}

export async function acquireDownloadLock(lockFile: string, what: string): Promise<DownloadLock> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(lockFile, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockFile, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new NocturnalError('conflict', `${what} is already being downloaded (process ${owner}); wait for it, or stop it and pull again to resume (if no download is running, delete ${lockFile})`);
    }
    // Stale (or unreadable): its owner is gone, so nobody writes the .partial any more.
    await rm(lockFile, { force: true });
  }
  throw new NocturnalError('conflict', `could not lock ${lockFile}: another process keeps creating it`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
