// A commit object from a tree and parents, without any index or working tree — the second half of an
// in-database merge (after merge-tree) and of a worktree-less revert. The identity comes from runGit's
// environment, so it works on machines where no git identity is configured.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOid } from './refs';
import { withMessageFile } from './message-file';
import { NocturnalError } from '../errors/nocturnal-error';

export interface CommitTreeParams extends GitCallOptions {
  repoPath: string;
  tree: string;
  /** In order: the first parent is the branch being committed onto. */
  parents: readonly string[];
  message: string;
}

export async function commitTree(params: CommitTreeParams): Promise<string> {
  assertOid(params.tree, 'tree');
  for (const parent of params.parents) assertOid(parent, 'parent');
  if (params.message.trim() === '') throw new NocturnalError('validation', 'a commit message must not be empty');
  const { stdout } = await withMessageFile(params.message, (file) =>
    runGit(
      params.repoPath,
      ['commit-tree', '--no-gpg-sign', params.tree, ...params.parents.flatMap((p) => ['-p', p]), '-F', file],
      callOptions(params),
    ),
  );
  return stdout.trim();
}
