// `git worktree list --porcelain -z`: every working tree of a repository, the user's and the engine's.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { isZeroOid, shortBranchName } from './refs';

export interface WorktreeEntry {
  path: string;
  /** The first entry git lists: the repository's own working tree (or the bare repository). */
  isMain: boolean;
  /** null for a bare repository or an unborn branch. */
  head: string | null;
  /** Short branch name checked out there; null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  lockReason: string | null;
  /** Git considers the worktree stale (its directory is gone). */
  prunable: boolean;
}

export async function listWorktrees(repoPath: string, opts: GitCallOptions = {}): Promise<WorktreeEntry[]> {
  const { stdout } = await runGit(repoPath, ['worktree', 'list', '--porcelain', '-z'], opts);
  return parseWorktreeList(stdout);
}

/** Records are NUL-separated attribute lines, each record ended by an empty one. */
export function parseWorktreeList(output: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const line of output.split('\0')) {
    if (line === '') {
      if (current) entries.push(current);
      current = null;
      continue;
    }
    const space = line.indexOf(' ');
    const key = space === -1 ? line : line.slice(0, space);
    const value = space === -1 ? '' : line.slice(space + 1);
    if (key === 'worktree') {
      if (current) entries.push(current);
      current = {
        path: value,
        isMain: entries.length === 0,
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        lockReason: null,
        prunable: false,
      };
      continue;
    }
    if (!current) continue;
    switch (key) {
      case 'HEAD':
        current.head = isZeroOid(value) ? null : value;
        break;
      case 'branch':
        current.branch = shortBranchName(value);
        break;
      case 'bare':
        current.bare = true;
        break;
      case 'detached':
        current.detached = true;
        break;
      case 'locked':
        current.locked = true;
        current.lockReason = value === '' ? null : value;
        break;
      case 'prunable':
        current.prunable = true;
        break;
      default:
        // Attributes added by newer git versions are ignored rather than misread.
        break;
    }
  }
  if (current) entries.push(current);
  return entries;
}
