// Where a branch is "in use" by a working tree. Git itself treats a branch as checked out not only when
// a worktree's HEAD names it, but also while a worktree is rebasing or bisecting it (HEAD is detached
// then, and the branch is rewritten when the operation ends) — moving its ref under either would
// clobber the user's work, so both count.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listWorktrees } from './list-worktrees';
import type { WorktreeEntry } from './list-worktrees';
import type { GitCallOptions } from './run-git';
import { absoluteGitDir } from './git-dir';
import { assertRevisionArgument, branchRef, shortBranchName } from './refs';

export interface BranchCheckout {
  worktree: WorktreeEntry;
  via: 'checkout' | 'rebase' | 'bisect';
}

export async function findBranchCheckout(
  repoPath: string,
  branch: string,
  opts: GitCallOptions = {},
): Promise<BranchCheckout | null> {
  assertRevisionArgument(branch, 'branch name');
  const name = shortBranchName(branch);
  const worktrees = await listWorktrees(repoPath, opts);
  for (const worktree of worktrees) {
    if (!worktree.bare && worktree.branch === name) return { worktree, via: 'checkout' };
  }
  for (const worktree of worktrees) {
    if (!worktree.detached || worktree.prunable) continue;
    const via = await busyVia(worktree, name, opts);
    if (via) return { worktree, via };
  }
  return null;
}

async function busyVia(
  worktree: WorktreeEntry,
  name: string,
  opts: GitCallOptions,
): Promise<'rebase' | 'bisect' | null> {
  const gitDir = await absoluteGitDir(worktree.path, opts);
  if (gitDir === null) return null;
  for (const file of ['rebase-merge/head-name', 'rebase-apply/head-name']) {
    const headName = await readTrimmed(path.join(gitDir, file));
    if (headName === branchRef(name)) return 'rebase';
  }
  const bisectStart = await readTrimmed(path.join(gitDir, 'BISECT_START'));
  if (bisectStart === name || bisectStart === branchRef(name)) return 'bisect';
  return null;
}

async function readTrimmed(file: string): Promise<string | null> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}
