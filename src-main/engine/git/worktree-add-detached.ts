// A throw-away worktree on a commit with no branch at all (`worktree add --detach`): for the baseline
// run of `workspace add` / `workspace check`, which must leave no branch and no ref behind in the
// user's repository. Same rules as ./worktree-add: only under the engine's root, never an existing path.
import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath } from './owned-path';
import { resolveCommit } from './resolve-ref';

export interface AddDetachedWorktreeParams extends GitCallOptions {
  repoPath: string;
  worktreePath: string;
  ownedRoot: string;
  /** Branch name or commit to check out. */
  base: string;
}

export type AddDetachedWorktreeResult = { kind: 'created'; path: string; head: string } | { kind: 'base-not-found' } | { kind: 'path-exists' };

export async function addDetachedWorktree(params: AddDetachedWorktreeParams): Promise<AddDetachedWorktreeResult> {
  const call = callOptions(params);
  await assertOwnedPath(params.worktreePath, params.ownedRoot, 'worktree path');
  const head = await resolveCommit(params.repoPath, params.base, call);
  if (head === null) return { kind: 'base-not-found' };
  const target = await canonicalPath(path.resolve(params.worktreePath));
  if ((await lstat(target).catch(() => null)) !== null) return { kind: 'path-exists' };
  await runGit(params.repoPath, ['worktree', 'add', '--quiet', '--detach', '--', target, head], call);
  return { kind: 'created', path: target, head };
}
