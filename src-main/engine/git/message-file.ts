// Commit messages reach git as a file (`--file=PATH`), never as argv: simple-git gives the engine no
// way to write to git's stdin, and a message on the command line would meet the OS limit on one
// argument (128 KiB on Linux). The file lives in a private temporary directory for one command only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export async function withMessageFile<T>(message: string, use: (file: string) => Promise<T>): Promise<T> {
  // Made and removed synchronously: one small file, cheaper than three thread-pool round trips.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nocturnal-message-'));
  try {
    const file = path.join(dir, 'MESSAGE');
    writeFileSync(file, message.endsWith('\n') ? message : `${message}\n`, { mode: 0o600 });
    return await use(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
