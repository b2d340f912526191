// Is a working tree clean? "Clean" here is strict, because the only thing the engine ever does in a
// tree it did not create is a fast-forward, and only in a clean one: no staged or unstaged change, no
// untracked file (untracked files can be overwritten or shadowed by incoming ones), no half-finished
// merge, rebase, cherry-pick, revert, am or bisect.
import { access } from 'node:fs/promises';
import path from 'node:path';
import { absoluteGitDir } from './git-dir';
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { GitError } from './git-error';

export interface StatusEntry {
  path: string;
  /** Porcelain v1 XY codes: `index` is X, `worktree` is Y (`?` for untracked). */
  index: string;
  worktree: string;
}

export type OperationInProgress = 'merge' | 'rebase' | 'am' | 'cherry-pick' | 'revert' | 'bisect';

export interface WorktreeStatus {
  clean: boolean;
  entries: StatusEntry[];
  operation: OperationInProgress | null;
}

export async function getWorktreeStatus(worktreePath: string, opts: GitCallOptions = {}): Promise<WorktreeStatus> {
  const args = ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=none', '--no-renames'];
  const { stdout } = await runGit(worktreePath, args, opts);
  const entries = parsePorcelainV1(stdout);
  const gitDir = await absoluteGitDir(worktreePath, opts);
  if (gitDir === null) {
    throw new GitError({
      args,
      cwd: worktreePath,
      exitCode: null,
      stderr: '',
      message: `${worktreePath} has no git directory`,
    });
  }
  const operation = await operationInProgress(gitDir);
  return { clean: entries.length === 0 && operation === null, entries, operation };
}

/** `XY path\0` records; renames are off, so there is never a second path. */
export function parsePorcelainV1(output: string): StatusEntry[] {
  const entries: StatusEntry[] = [];
  for (const record of output.split('\0')) {
    if (record.length < 4) continue;
    entries.push({ index: record[0] ?? ' ', worktree: record[1] ?? ' ', path: record.slice(3) });
  }
  return entries;
}

const MARKERS: readonly [string, OperationInProgress][] = [
  ['rebase-merge', 'rebase'],
  ['rebase-apply/applying', 'am'],
  ['rebase-apply', 'rebase'],
  ['MERGE_HEAD', 'merge'],
  ['CHERRY_PICK_HEAD', 'cherry-pick'],
  ['REVERT_HEAD', 'revert'],
  ['BISECT_LOG', 'bisect'],
];

async function operationInProgress(gitDir: string): Promise<OperationInProgress | null> {
  for (const [marker, operation] of MARKERS) {
    try {
      await access(path.join(gitDir, marker));
      return operation;
    } catch {
      // Not this one.
    }
  }
  return null;
}
