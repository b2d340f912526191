// The names at the top of a commit's tree, in one git process. Detection asks whether a dozen lock
// and manifest files exist at the root of the base commit; one listing answers all of them where a
// `cat-file -e` each would spawn a dozen processes on every attempt.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOid } from './refs';

export async function topLevelNames(repoPath: string, commit: string, opts: GitCallOptions = {}): Promise<Set<string>> {
  assertOid(commit, 'commit');
  const result = await runGit(repoPath, ['ls-tree', '-z', '--name-only', commit], opts);
  return new Set(result.stdout.split('\0').filter((name) => name !== ''));
}
