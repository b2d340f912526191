import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

/** Git's own rules for a branch name (`check-ref-format --branch`), plus "no leading dash". */
export async function isValidBranchName(cwd: string, name: string, opts: GitCallOptions = {}): Promise<boolean> {
  if (name === '' || name.startsWith('-') || /[\0\n\r]/.test(name)) return false;
  // `@{-1}` style shorthands pass check-ref-format --branch but expand to another branch: not a name.
  if (name.includes('@{')) return false;
  const result = await runGit(cwd, ['check-ref-format', `refs/heads/${name}`], { ...opts, okExitCodes: [0, 1] });
  return result.exitCode === 0;
}
