import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument, branchRef } from './refs';

/** Whether `refs/heads/<branch>` exists (an unborn branch in some worktree does not count). */
export async function branchExists(repoPath: string, branch: string, opts: GitCallOptions = {}): Promise<boolean> {
  assertRevisionArgument(branch, 'branch name');
  const result = await runGit(repoPath, ['show-ref', '--verify', '--quiet', branchRef(branch)], {
    ...opts,
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0;
}
