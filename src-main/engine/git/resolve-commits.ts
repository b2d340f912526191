// Several revisions → commits in one git process where `resolveCommit` would spawn one `rev-parse`
// each. An attempt needs the base and the target branch at once; each extra process costs a few
// milliseconds on every attempt of the night. `rev-parse A^{commit} B^{commit} --` prints one commit per
// revision in order and stops at the first that names no commit (exit 128): the ones before it were
// printed, that one is null, and the rest are asked again. So the common case (all exist, or only the
// last is missing, as a target branch before its first merge) takes one process. A name that names
// nothing (or no commit) is null, as with `resolveCommit`. (git's stdin is not used: simple-git
// cannot write to it.)
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';
import { resolveCommit } from './resolve-ref';

const COMMIT_LINE = /^[0-9a-f]{40,64}$/;

export async function resolveCommits(
  repoPath: string,
  revs: readonly string[],
  opts: GitCallOptions = {},
): Promise<(string | null)[]> {
  for (const rev of revs) assertRevisionArgument(rev, 'revision');
  const resolved: (string | null)[] = [];
  let rest = [...revs];
  while (rest.length > 0) {
    const result = await runGit(repoPath, ['rev-parse', ...rest.map((rev) => `${rev}^{commit}`), '--'], {
      ...opts,
      okExitCodes: [0, 128],
    });
    const commits = result.stdout.split('\n').filter((line) => COMMIT_LINE.test(line));
    if (result.exitCode === 0 && commits.length === rest.length) return [...resolved, ...commits];
    if (result.exitCode === 0 || commits.length >= rest.length) {
      // Not the shape this relies on: answer each revision on its own rather than guess.
      return [...resolved, ...(await Promise.all(rest.map((rev) => resolveCommit(repoPath, rev, opts))))];
    }
    resolved.push(...commits, null);
    rest = rest.slice(commits.length + 1);
  }
  return resolved;
}
