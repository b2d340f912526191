// Commit messages reach git as a file (`--file=PATH`), never as argv: simple-git gives the engine no
// way to write to git's stdin, and a message on the command line would meet the OS limit on one
// argument (128 KiB on Linux). The file lives in a private temporary directory for one command only.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function withMessageFile<T>(message: string, use: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nocturnal-message-'));
  try {
    const file = path.join(dir, 'MESSAGE');
    await writeFile(file, message.endsWith('\n') ? message : `${message}\n`, { mode: 0o600 });
    return await use(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
