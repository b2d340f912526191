// The writer for paths the guard accepted. Edits write regular files only and never create or follow
// a symlink: O_NOFOLLOW makes the open fail (ELOOP) if something put a link at the final name after
// the guard looked, and missing folders are created as real folders, never as links.
//
// A rewrite always moves the file's modification time to a later whole second than it had. Tools
// that key caches on (size, mtime in seconds) — Python's .pyc, make on coarse file systems, eslint's
// cache — otherwise treat a same-size fix written within the second of the previous check run
// (`a - b` → `a + b`) as unchanged and run the stale result: the fix is then judged by the old code.
// The writes are synchronous: a model's edit is at most `safety.max_file_bytes`, and the eight steps
// below awaited one by one through the thread pool cost more than writing the bytes.
import { closeSync, constants, fstatSync, futimesSync, lstatSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeRegularFile(absolutePath: string, data: string | Uint8Array): Promise<void> {
  try {
    writeRegularFileSync(absolutePath, data);
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(error as Error);
  }
}

function writeRegularFileSync(absolutePath: string, data: string | Uint8Array): void {
  mkdirSync(dirname(absolutePath), { recursive: true });
  const before = previousModification(absolutePath);
  // O_NONBLOCK: a FIFO swapped in at the last moment fails at once instead of blocking the engine.
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const fd = openSync(absolutePath, flags, 0o644);
  try {
    if (!fstatSync(fd).isFile()) throw new Error(`refusing to write ${absolutePath}: not a regular file`);
    writeFileSync(fd, data);
    if (before !== undefined) {
      const after = fstatSync(fd);
      const previousSecond = Math.floor(before.mtimeMs / 1000);
      if (Math.floor(after.mtimeMs / 1000) <= previousSecond) futimesSync(fd, after.atime, previousSecond + 1);
    }
  } finally {
    closeSync(fd);
  }
}

/** The modification time of the regular file about to be rewritten; undefined for a new file. */
function previousModification(absolutePath: string): { mtimeMs: number } | undefined {
  const stat = lstatSync(absolutePath, { throwIfNoEntry: false });
  return stat?.isFile() ? { mtimeMs: stat.mtimeMs } : undefined;
}
