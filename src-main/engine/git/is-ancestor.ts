import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

/** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(
  repoPath: string,
  ancestor: string,
  descendant: string,
  opts: GitCallOptions = {},
): Promise<boolean> {
  assertRevisionArgument(ancestor, 'ancestor');
  assertRevisionArgument(descendant, 'descendant');
  const result = await runGit(repoPath, ['merge-base', '--is-ancestor', ancestor, descendant], {
    ...opts,
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0;
}
