// The writer for paths the guard accepted. Edits write regular files only and never create or follow
// a symlink: O_NOFOLLOW makes the open fail (ELOOP) if something put a link at the final name after
// the guard looked, and missing folders are created as real folders, never as links.
//
// A rewrite always moves the file's modification time to a later whole second than it had. Tools
// that key caches on (size, mtime in seconds) — Python's .pyc, make on coarse file systems, eslint's
// cache — otherwise treat a same-size fix written within the second of the previous check run
// (`a - b` → `a + b`) as unchanged and run the stale result: the fix is then judged by the old code.
import { constants } from 'node:fs';
import { lstat, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeRegularFile(absolutePath: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(absolutePath), { recursive: true });
  const before = await previousModification(absolutePath);
  // O_NONBLOCK: a FIFO swapped in at the last moment fails at once instead of blocking the engine.
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(absolutePath, flags, 0o644);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`refusing to write ${absolutePath}: not a regular file`);
    await handle.writeFile(data);
    if (before !== undefined) {
      const after = await handle.stat();
      const previousSecond = Math.floor(before.mtimeMs / 1000);
      if (Math.floor(after.mtimeMs / 1000) <= previousSecond) await handle.utimes(after.atime, previousSecond + 1);
    }
  } finally {
    await handle.close();
  }
}

/** The modification time of the regular file about to be rewritten; undefined for a new file. */
async function previousModification(absolutePath: string): Promise<{ mtimeMs: number } | undefined> {
  try {
    const stat = await lstat(absolutePath);
    return stat.isFile() ? { mtimeMs: stat.mtimeMs } : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
