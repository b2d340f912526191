// Resolves what the sandbox hides and shows, against the real file system: realpaths (bubblewrap
// mounts on resolved paths, and /var/run is usually a link to /run), existence, folder or file. Also
// lets git work inside a check: a linked worktree's `.git` file points into the main repository's
// .git, which lives outside the worktree (often in a hidden home); that is shown read-only, with its
// config masked because remote URLs there can carry credentials. Which git dirs those are is what the
// engine recorded when it created the worktree — never read from the `.git` file, which a check could
// have rewritten to show some other folder — and the `.git` file itself is read-only, so a check cannot
// redirect the engine's git or a later check's.
import { realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { HiddenPath } from './bubblewrap-args';

/** An attempt worktree's git wiring, as the engine recorded it. */
export interface WorktreeGitPaths {
  /** The worktree's `.git` file. */
  dotGit: string;
  /** Its admin folder, `<common dir>/worktrees/<id>`. */
  gitDir: string;
  /** The repository's git dir. */
  commonDir: string;
}

export interface SandboxMounts {
  worktree: string;
  hidden: HiddenPath[];
  readOnly: string[];
}

/** Places hidden from every check whatever the caller passes: homes, sockets, mounted media. */
export function defaultHiddenPaths(): string[] {
  return [homedir(), '/home', '/root', '/Users', '/run', '/var/run', '/mnt', '/media'];
}

export async function resolveSandboxMounts(options: {
  worktree: string;
  hiddenPaths: readonly string[];
  readPaths: readonly string[];
  /** Without it no git dir is shown and git does not work inside the check. */
  git?: WorktreeGitPaths | undefined;
}): Promise<SandboxMounts> {
  const worktree = await realpath(options.worktree);
  const git = options.git
    ? {
        readOnly: [options.git.gitDir, options.git.commonDir, options.git.dotGit],
        masked: [join(options.git.commonDir, 'config')],
      }
    : { readOnly: [], masked: [] };

  const hidden: HiddenPath[] = [];
  const seen = new Set<string>();
  for (const candidate of [...defaultHiddenPaths(), ...options.hiddenPaths, ...git.masked]) {
    const entry = await hiddenEntry(candidate);
    if (entry === null || seen.has(entry.path) || entry.path === '/') continue;
    seen.add(entry.path);
    hidden.push(entry);
  }

  const readOnly: string[] = [];
  for (const candidate of [...options.readPaths, ...git.readOnly]) {
    const real = await realpath(candidate).catch(() => null);
    if (real !== null && !readOnly.includes(real)) readOnly.push(real);
  }
  return { worktree, hidden, readOnly };
}

async function hiddenEntry(path: string): Promise<HiddenPath | null> {
  if (!isAbsolute(path)) return null;
  const real = await realpath(path).catch(() => null);
  if (real === null) return null;
  const info = await stat(real).catch(() => null);
  if (info === null) return null;
  return { path: real, kind: info.isDirectory() ? 'dir' : 'file' };
}
