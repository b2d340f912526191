// Several revisions → commits in one git process (`cat-file --batch-check`), where `resolveCommit`
// would spawn one `rev-parse` each. An attempt needs the base and the target branch at once; each
// extra process costs a few milliseconds on every attempt of the night. A name that names nothing
// (or no commit, or is ambiguous) is null, as with `resolveCommit`.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

export async function resolveCommits(repoPath: string, revs: readonly string[], opts: GitCallOptions = {}): Promise<(string | null)[]> {
  if (revs.length === 0) return [];
  for (const rev of revs) assertRevisionArgument(rev, 'revision');
  const input = revs.map((rev) => `${rev}^{commit}\n`).join('');
  const result = await runGit(repoPath, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], { ...opts, input });
  const lines = result.stdout.split('\n');
  // One answer line per question, in order: "<oid> commit", or "<name> missing" / "<name> ambiguous".
  return revs.map((_, index) => {
    const match = /^([0-9a-f]{40,64}) commit$/.exec(lines[index] ?? '');
    return match?.[1] ?? null;
  });
}
