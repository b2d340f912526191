// Several revisions → commits in one git process where `resolveCommit` would spawn one `rev-parse`
// each. An attempt needs the base and the target branch at once; each extra process costs a few
// milliseconds on every attempt of the night. `rev-parse A^{commit} B^{commit} --` prints one commit per
// revision in order when all of them name a commit (the common case: one process); when one does not,
// git refuses the whole call (exit 128) and each is resolved alone, so a name that names nothing (or no
// commit) is null, as with `resolveCommit`. (git's stdin is not used: simple-git cannot write to it.)
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';
import { resolveCommit } from './resolve-ref';

export async function resolveCommits(repoPath: string, revs: readonly string[], opts: GitCallOptions = {}): Promise<(string | null)[]> {
  if (revs.length === 0) return [];
  for (const rev of revs) assertRevisionArgument(rev, 'revision');
  const result = await runGit(repoPath, ['rev-parse', ...revs.map((rev) => `${rev}^{commit}`), '--'], { ...opts, okExitCodes: [0, 128] });
  const lines = result.stdout.split('\n');
  const all = result.exitCode === 0 ? revs.map((_, index) => /^[0-9a-f]{40,64}$/.exec(lines[index] ?? '')?.[0] ?? null) : null;
  if (all !== null && all.every((commit) => commit !== null)) return all;
  return Promise.all(revs.map((rev) => resolveCommit(repoPath, rev, opts)));
}
