// What the workspace registry needs to know about a path before accepting it as a workspace.
import { stat } from 'node:fs/promises';
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

export type RepositoryInfo =
  | { isRepository: false; reason: string }
  | {
      isRepository: true;
      /** The working tree's top-level directory; null for a bare repository. */
      topLevel: string | null;
      /** This worktree's git directory (differs from commonDir in a linked worktree). */
      gitDir: string;
      /** The shared git directory holding refs, objects, config and hooks. */
      commonDir: string;
      bare: boolean;
      objectFormat: 'sha1' | 'sha256';
      /** False in a freshly initialised repository (an unborn branch). */
      hasCommits: boolean;
      /** Short name of the checked-out branch (also when unborn); null when HEAD is detached. */
      currentBranch: string | null;
      headOid: string | null;
    };

export async function getRepositoryInfo(repoPath: string, opts: GitCallOptions = {}): Promise<RepositoryInfo> {
  try {
    if (!(await stat(repoPath)).isDirectory()) return { isRepository: false, reason: `${repoPath} is not a directory` };
  } catch {
    return { isRepository: false, reason: `${repoPath} does not exist` };
  }

  const probe = await runGit(
    repoPath,
    [
      'rev-parse',
      '--path-format=absolute',
      '--git-dir',
      '--git-common-dir',
      '--is-bare-repository',
      '--is-inside-work-tree',
      '--show-object-format',
    ],
    { ...opts, okExitCodes: [0, 128] },
  );
  if (probe.exitCode !== 0) {
    return { isRepository: false, reason: probe.stderr.trim() || `${repoPath} is not a git repository` };
  }
  const [gitDir = '', commonDir = '', bare, insideWorkTree, format] = probe.stdout.split('\n');

  let topLevel: string | null = null;
  if (insideWorkTree === 'true') {
    topLevel = (await runGit(repoPath, ['rev-parse', '--path-format=absolute', '--show-toplevel'], opts)).stdout.trim();
  }

  const head = await runGit(repoPath, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], {
    ...opts,
    okExitCodes: [0, 1],
  });
  const symbolic = await runGit(repoPath, ['symbolic-ref', '-q', '--short', 'HEAD'], { ...opts, okExitCodes: [0, 1] });
  const headOid = head.exitCode === 0 ? head.stdout.trim() : null;

  return {
    isRepository: true,
    topLevel,
    gitDir,
    commonDir,
    bare: bare === 'true',
    objectFormat: format === 'sha256' ? 'sha256' : 'sha1',
    hasCommits: headOid !== null,
    currentBranch: symbolic.exitCode === 0 ? symbolic.stdout.trim() : null,
    headOid,
  };
}
