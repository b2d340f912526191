// One file's content at a commit (`git cat-file blob COMMIT:PATH`), with "no such file there" as an
// answer. The dependency setup reads manifests and lock files this way: from what the user committed
// on the base, never from the user's working tree, whose uncommitted edits are not the user's word yet.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

export type ReadBlobOutcome = { kind: 'found'; content: Buffer } | { kind: 'missing' };

export async function readBlobAt(
  repoPath: string,
  commit: string,
  filePath: string,
  opts: GitCallOptions = {},
): Promise<ReadBlobOutcome> {
  assertRevisionArgument(commit, 'commit');
  if (filePath.startsWith('/') || filePath.split('/').includes('..'))
    throw new Error(`readBlobAt: "${filePath}" must be a path inside the repository`);
  // `cat-file -e` first: exit 1/128 for a path that is not in the commit, which is an answer here.
  const exists = await runGit(repoPath, ['cat-file', '-e', `${commit}:${filePath}`], {
    ...opts,
    okExitCodes: [0, 1, 128],
  });
  if (exists.exitCode !== 0) return { kind: 'missing' };
  const blob = await runGit(repoPath, ['cat-file', 'blob', `${commit}:${filePath}`], opts);
  return { kind: 'found', content: blob.stdoutBytes };
}
