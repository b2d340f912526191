// Resolves what the sandbox hides and shows, against the real file system: realpaths (bubblewrap
// mounts on resolved paths, and /var/run is usually a link to /run), existence, folder or file. Also
// lets git work inside a check: a linked worktree's `.git` file points into the main repository's
// .git, which lives outside the worktree (often in a hidden home); that is shown read-only, with its
// config masked because remote URLs there can carry credentials.
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { HiddenPath } from './bubblewrap-args';

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
}): Promise<SandboxMounts> {
  const worktree = await realpath(options.worktree);
  const git = await gitDirsOf(worktree);

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

/** For a linked worktree: its git dir and the common dir to show, and the config file to mask. */
async function gitDirsOf(worktree: string): Promise<{ readOnly: string[]; masked: string[] }> {
  const dotGit = join(worktree, '.git');
  const info = await lstat(dotGit).catch(() => null);
  if (info === null || !info.isFile()) return { readOnly: [], masked: [] };
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'));
  if (pointer === null) return { readOnly: [], masked: [] };
  const gitDir = resolve(worktree, pointer[1] as string);
  const common = await readFile(join(gitDir, 'commondir'), 'utf8')
    .then((text) => resolve(gitDir, text.trim()))
    .catch(() => dirname(dirname(gitDir)));
  return { readOnly: [gitDir, common], masked: [join(common, 'config')] };
}
