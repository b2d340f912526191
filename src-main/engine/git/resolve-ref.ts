// Revision → object id, with "does not exist" as an answer rather than an error.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

/** `rev-parse --verify`: the object id `rev` names, or null when it names nothing. */
export async function resolveRef(repoPath: string, rev: string, opts: GitCallOptions = {}): Promise<string | null> {
  assertRevisionArgument(rev, 'revision');
  const result = await runGit(repoPath, ['rev-parse', '-q', '--verify', '--end-of-options', rev], {
    ...opts,
    okExitCodes: [0, 1],
  });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Like `resolveRef`, peeled to a commit (a tag becomes its commit; a tree or blob gives null). */
export function resolveCommit(repoPath: string, rev: string, opts: GitCallOptions = {}): Promise<string | null> {
  assertRevisionArgument(rev, 'revision');
  return resolveRef(repoPath, `${rev}^{commit}`, opts);
}

/** The tree object of a commit. */
export function resolveTree(repoPath: string, rev: string, opts: GitCallOptions = {}): Promise<string | null> {
  assertRevisionArgument(rev, 'revision');
  return resolveRef(repoPath, `${rev}^{tree}`, opts);
}
