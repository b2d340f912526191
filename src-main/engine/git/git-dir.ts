import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

/** A working tree's own git directory (`.git`, or `.git/worktrees/<id>` for a linked worktree). */
export async function absoluteGitDir(worktreePath: string, opts: GitCallOptions = {}): Promise<string | null> {
  try {
    const result = await runGit(worktreePath, ['rev-parse', '--absolute-git-dir'], { ...opts, okExitCodes: [0, 128] });
    return result.exitCode === 0 ? result.stdout.trim() : null;
  } catch {
    // The directory does not exist (any more): there is no git directory to speak of.
    return null;
  }
}
