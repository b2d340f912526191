// Finds the administrative folder git keeps for a linked worktree (`<common dir>/worktrees/<id>`) from
// the repository's side only: each admin folder's `gitdir` file names the worktree's `.git`. The
// worktree's own `.git` file is never consulted — it lies in a tree checks can write.
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { samePath } from './owned-path';
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

export async function findWorktreeAdminDir(commonDir: string, worktreePath: string): Promise<string | null> {
  const root = path.join(commonDir, 'worktrees');
  const ids = await readdir(root).catch(() => [] as string[]);
  for (const id of ids.sort()) {
    const gitdirFile = await readFile(path.join(root, id, 'gitdir'), 'utf8').catch(() => null);
    if (gitdirFile === null) continue;
    const dotGit = gitdirFile.trim();
    if (path.basename(dotGit) === '.git' && (await samePath(path.dirname(dotGit), worktreePath))) {
      return realpath(path.join(root, id));
    }
  }
  return null;
}

/** The repository's common git dir, absolute and resolved, asked of the user's repository itself. */
export async function repositoryCommonDir(repoPath: string, call: GitCallOptions): Promise<string> {
  const result = await runGit(repoPath, ['rev-parse', '--path-format=absolute', '--git-common-dir'], call);
  return realpath(result.stdout.trim());
}
