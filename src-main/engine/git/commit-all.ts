// Commits everything in an engine worktree (after the safety layer applied the model's edits). Refuses
// any directory that is not the top level of a worktree inside the engine's root, so a wrong path can
// never turn into a commit in the user's checkout or in some enclosing repository. git is pinned to the
// worktree's recorded git dir (./engine-worktree): what its `.git` file says is never read.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, samePath } from './owned-path';
import { NocturnalError } from '../errors/nocturnal-error';
import { pinnedGit } from './engine-worktree';
import type { EngineWorktree } from './engine-worktree';
import { withMessageFile } from './message-file';

export interface CommitAllParams extends GitCallOptions {
  worktree: EngineWorktree;
  ownedRoot: string;
  message: string;
  /**
   * Repo-relative paths to stage: exactly the files the edits wrote or deleted. Whatever else is in the
   * worktree (files a check created, build output) is never committed.
   */
  paths: readonly string[];
}

export type CommitAllResult = { kind: 'committed'; commit: string } | { kind: 'nothing-to-commit' };

export async function commitAll(params: CommitAllParams): Promise<CommitAllResult> {
  const worktreePath = params.worktree.path;
  await assertOwnedPath(worktreePath, params.ownedRoot, 'worktree');
  if (params.message.trim() === '') throw new NocturnalError('validation', 'a commit message must not be empty');
  const call = await pinnedGit(params.worktree, callOptions(params));
  const top = await runGit(worktreePath, ['rev-parse', '--show-toplevel'], call);
  if (!(await samePath(top.stdout.trim(), worktreePath))) {
    throw new NocturnalError('runtime', `refusing to commit: ${worktreePath} is not the top of its own worktree`);
  }

  // Literal pathspecs: a file named `*` or `:(glob)x` is a name, never a pattern.
  const literal = { ...call, env: { GIT_LITERAL_PATHSPECS: '1' } };
  // Ignored files stay out, as `add --all` would leave them (naming them explicitly is an error): the
  // untracked ones among the paths that the ignore rules match. (`check-ignore -z` needs `--stdin`, and
  // simple-git offers no stdin; `ls-files -z` names them unquoted from argv.)
  const ignored = new Set<string>();
  for (const batch of argvBatches(params.paths)) {
    const listed = await runGit(
      worktreePath,
      ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...batch],
      literal,
    );
    for (const p of listed.stdout.split('\0')) if (p !== '') ignored.add(p);
  }
  const paths = params.paths.filter((p) => !ignored.has(p));
  if (paths.length === 0) return { kind: 'nothing-to-commit' };
  await runGit(worktreePath, ['add', '--all', '--', ...paths], literal);
  const staged = await runGit(worktreePath, ['diff', '--cached', '--quiet', '--no-ext-diff'], {
    ...call,
    okExitCodes: [0, 1],
  });
  if (staged.exitCode === 0) return { kind: 'nothing-to-commit' };

  // --no-verify on top of the disabled hooksPath: belt and braces against the user's commit hooks.
  await withMessageFile(params.message, (file) =>
    runGit(
      worktreePath,
      ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--cleanup=whitespace', `--file=${file}`],
      call,
    ),
  );
  const head = await runGit(worktreePath, ['rev-parse', '--verify', 'HEAD^{commit}'], call);
  return { kind: 'committed', commit: head.stdout.trim() };
}

/** Paths in groups that stay well under the OS limit on a command line (about 2 MiB on Linux). */
function argvBatches(paths: readonly string[], maxBytes = 256 * 1024): string[][] {
  const batches: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const p of paths) {
    const bytes = Buffer.byteLength(p) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(p);
    size += bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
