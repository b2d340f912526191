// The writer for paths the guard accepted. Edits write regular files only and never create or follow
// a symlink: O_NOFOLLOW makes the open fail (ELOOP) if something put a link at the final name after
// the guard looked, and missing folders are created as real folders, never as links.
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeRegularFile(absolutePath: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(absolutePath), { recursive: true });
  // O_NONBLOCK: a FIFO swapped in at the last moment fails at once instead of blocking the engine.
  const flags =
    constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW | constants.O_NONBLOCK;
  const handle = await open(absolutePath, flags, 0o644);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`refusing to write ${absolutePath}: not a regular file`);
    await handle.writeFile(data);
  } finally {
    await handle.close();
  }
}
