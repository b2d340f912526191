// Whether the engine may write in its home. A home on a read-only mount (a backup, a locked-down
// machine) or whose database belongs to someone else can still be read: the engine then opens the
// database read-only and writes no logs, and any command that would change something fails with the
// reason found here instead of a bare "unable to open database file".
import fs from 'node:fs';
import type { HomePaths } from './home';

/** null when the home can be written (it is created, 0700, if missing); otherwise why not. */
export function homeWriteProblem(paths: Pick<HomePaths, 'home' | 'database'>): string | null {
  try {
    fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  } catch (error) {
    return `the home ${paths.home} cannot be created (${describe(error)})`;
  }
  for (const target of [paths.home, paths.database]) {
    if (target === paths.database && !fs.existsSync(target)) continue;
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (error) {
      return `${target} is not writable (${describe(error)})`;
    }
  }
  return null;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
