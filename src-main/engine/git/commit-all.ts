// Commits everything in an engine worktree (after the safety layer applied the model's edits). Refuses
// any directory outside the engine's root, so a wrong path can never turn into a commit in the user's
// checkout. git is pinned to the worktree's recorded git dir and work tree (./engine-worktree): what its
// `.git` file says is never read, and no enclosing repository can be discovered (so no `rev-parse
// --show-toplevel` either: with `--work-tree` given, git's top level is that path by definition).
// One git process on the usual path, a change to files git tracks (`commit --only`, or `commit --include`
// where the caller knows the index; the filter list is known for this configuration, ./engine-worktree,
// and the new commit is read from the loose ref git wrote), two when the change adds a file (`add`,
// `commit`): git's own exit codes say "that path is unknown", "those paths are ignored" and "nothing to
// commit", where separate listings cost a process each.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions, RunGitOptions } from './run-git';
import { assertOwnedPath } from './owned-path';
import { GitError } from './git-error';
import { NocturnalError } from '../errors/nocturnal-error';
import { pinnedGit } from './engine-worktree';
import type { EngineWorktree } from './engine-worktree';
import { withMessageFile } from './message-file';
import { readLooseHead } from './read-loose-ref';

export interface CommitAllParams extends GitCallOptions {
  worktree: EngineWorktree;
  ownedRoot: string;
  message: string;
  /**
   * Repo-relative paths to stage: exactly the files the edits wrote or deleted. Whatever else is in the
   * worktree (files a check created, build output) is never committed.
   */
  paths: readonly string[];
  /** Those of `paths` the edits created: git does not know them yet, so they are staged with `add`. */
  created?: readonly string[];
  /**
   * Every path in the worktree's index, listed since its last commit or reset, from a caller that knows
   * nothing is staged (the index is HEAD's tree: an attempt's worktree, whose checks are verified not
   * to stage anything). When it holds all of `paths`, they are staged and committed in the index itself
   * (`commit --include`) instead of in the temporary index `--only` builds from HEAD and writes beside
   * the real one: on a 10k-file repository ~20 ms of a ~70 ms commit (issue 12). `--include` commits
   * whatever else is staged and silently leaves out a path git does not track, so without this the
   * commit takes the `--only` way.
   */
  indexPaths?: ReadonlySet<string>;
}

export type CommitAllResult = { kind: 'committed'; commit: string } | { kind: 'nothing-to-commit' };

export async function commitAll(params: CommitAllParams): Promise<CommitAllResult> {
  const worktreePath = params.worktree.path;
  await assertOwnedPath(worktreePath, params.ownedRoot, 'worktree');
  if (params.message.trim() === '') throw new NocturnalError('validation', 'a commit message must not be empty');
  if (params.paths.length === 0) return { kind: 'nothing-to-commit' };
  const call = await pinnedGit(params.worktree, callOptions(params));

  // Literal pathspecs: a file named `*` or `:(glob)x` is a name, never a pattern.
  const literal = { ...call, env: { GIT_LITERAL_PATHSPECS: '1' } };
  const batches = argvBatches(params.paths);
  // The usual change edits files git already tracks: `commit --only` stages and commits exactly those
  // paths in one process. A path git does not know (a new file, or an untracked one the ignore rules
  // keep out) makes it refuse before writing anything, and the change goes through `add` first, as a
  // change that creates files does straight away.
  const index = params.indexPaths;
  const inPlace = index !== undefined && params.paths.every((p) => index.has(p));
  const named =
    batches.length === 1 && (params.created ?? []).length === 0
      ? await commitPaths(worktreePath, params.message, params.paths, inPlace ? '--include' : '--only', literal)
      : null;
  if (named === 'nothing-to-commit') return { kind: 'nothing-to-commit' };
  if (named === null) {
    const added = await addThenCommit(worktreePath, params.message, batches, literal, call);
    if (added === 'nothing-to-commit') return { kind: 'nothing-to-commit' };
  }
  // The commit just made, from the branch's loose ref git wrote (./read-loose-ref), else from git.
  const loose = await readLooseHead(params.worktree);
  if (loose !== null) return { kind: 'committed', commit: loose };
  const head = await runGit(worktreePath, ['rev-parse', '--verify', 'HEAD^{commit}'], call);
  return { kind: 'committed', commit: head.stdout.trim() };
}

/**
 * `commit --only -- paths` (or `--include`, see `indexPaths`): 'committed', 'nothing-to-commit', or null
 * when git does not know one of the paths (nothing was staged or committed then; `--only` only).
 */
async function commitPaths(
  worktreePath: string,
  message: string,
  paths: readonly string[],
  mode: '--only' | '--include',
  literal: RunGitOptions,
): Promise<'committed' | 'nothing-to-commit' | null> {
  const args = ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--cleanup=whitespace', mode];
  const committed = await withMessageFile(message, (file) =>
    runGit(worktreePath, [...args, `--file=${file}`, '--', ...paths], { ...literal, okExitCodes: [0, 1] }),
  );
  if (committed.exitCode === 0) return 'committed';
  if (UNKNOWN_PATH.test(committed.stderr)) return null;
  if (NOTHING_TO_COMMIT.test(committed.stdout)) return 'nothing-to-commit';
  throw new GitError({
    args: [...args, '--', ...paths],
    cwd: worktreePath,
    exitCode: committed.exitCode,
    stderr: committed.stderr || committed.stdout,
  });
}

/** `add --all -- paths` (in batches), then `commit` of what is staged. */
async function addThenCommit(
  worktreePath: string,
  message: string,
  batches: readonly string[][],
  literal: RunGitOptions,
  call: RunGitOptions,
): Promise<'committed' | 'nothing-to-commit'> {
  // Ignored files stay out, as `add --all` would leave them: named explicitly, an untracked path the
  // ignore rules match is not added, git says so on stderr and exits 1 — after staging the others.
  // Any other exit 1 is a failure.
  for (const batch of batches) {
    const added = await runGit(worktreePath, ['add', '--all', '--', ...batch], { ...literal, okExitCodes: [0, 1] });
    if (added.exitCode !== 0 && !IGNORED_PATHS.test(added.stderr))
      throw new GitError({
        args: ['add', '--all', '--', ...batch],
        cwd: worktreePath,
        exitCode: added.exitCode,
        stderr: added.stderr,
      });
  }

  // --no-verify on top of the disabled hooksPath: belt and braces against the user's commit hooks.
  // With nothing staged (the index is HEAD's tree) git commits nothing, says so and exits 1.
  const committed = await withMessageFile(message, (file) =>
    runGit(
      worktreePath,
      ['commit', '--quiet', '--no-verify', '--no-gpg-sign', '--cleanup=whitespace', `--file=${file}`],
      { ...call, okExitCodes: [0, 1] },
    ),
  );
  if (committed.exitCode === 0) return 'committed';
  if (NOTHING_TO_COMMIT.test(committed.stdout)) return 'nothing-to-commit';
  throw new GitError({
    args: ['commit'],
    cwd: worktreePath,
    exitCode: committed.exitCode,
    stderr: committed.stderr || committed.stdout,
  });
}

// What git says (LC_ALL=C, ./git-environment) when `add` was named ignored paths, and when `commit`
// found nothing staged ("nothing to commit", "nothing added to commit", "no changes added to commit").
const IGNORED_PATHS = /^The following paths are ignored by one of your \.gitignore files:/m;
const NOTHING_TO_COMMIT = /^(nothing to commit|nothing added to commit|no changes added to commit)\b/m;
// What `commit --only` says of a path that is not in the index (LC_ALL=C).
const UNKNOWN_PATH = /^error: pathspec '.*' did not match any file\(s\) known to git/m;

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
