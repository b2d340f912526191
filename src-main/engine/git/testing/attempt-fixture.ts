// Helpers for tests that need what the pipeline produces — an attempt branch with a commit in an
// engine worktree — and a "busy" user checkout to prove the engine leaves it alone.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { addWorktree } from '../worktree-add';
import { commitAll } from '../commit-all';
import { openTempRepo } from './temp-repo';
import type { FileChanges, TempRepo } from './temp-repo';

export interface AttemptCommitOptions {
  repo: TempRepo;
  /** The engine's worktree root. */
  home: string;
  branch: string;
  base?: string;
  /** One entry per commit on the attempt branch. */
  commits: FileChanges[];
}

/** Creates the attempt branch in an engine worktree, commits each change set; returns the last commit. */
export async function makeAttemptCommit(options: AttemptCommitOptions): Promise<string> {
  const worktreePath = path.join(options.home, options.branch.replace(/\//g, '-'));
  const added = await addWorktree({
    repoPath: options.repo.path,
    worktreePath,
    ownedRoot: options.home,
    branch: options.branch,
    base: options.base ?? 'main',
  });
  if (added.kind !== 'created') throw new Error(`could not create attempt worktree: ${added.kind}`);
  const worktree = openTempRepo(worktreePath);
  let last = added.head;
  for (const [i, files] of options.commits.entries()) {
    await worktree.write(files);
    const result = await commitAll({
      worktree: added.worktree,
      ownedRoot: options.home,
      message: `attempt ${options.branch} step ${i + 1}`,
      paths: Object.keys(files),
    });
    if (result.kind !== 'committed') throw new Error('attempt commit had no changes');
    last = result.commit;
  }
  return last;
}

export const HOOK_NAMES = [
  'pre-commit',
  'commit-msg',
  'post-commit',
  'pre-merge-commit',
  'post-merge',
  'post-checkout',
  'reference-transaction',
  'post-rewrite',
];

/**
 * Installs hooks that append their name to `<repo>/.git/hook-log` and fail, so a test can prove none
 * fired: the log file stays absent. The hooks also fail, so one that did run would abort the operation.
 */
export async function installTripwireHooks(repo: TempRepo): Promise<string> {
  const log = path.join(repo.path, '.git', 'hook-log');
  const hooksDir = path.join(repo.path, '.git', 'hooks');
  await mkdir(hooksDir, { recursive: true });
  for (const name of HOOK_NAMES) {
    const file = path.join(hooksDir, name);
    await writeFile(file, `#!/bin/sh\necho ${name} >> '${log}'\nexit 1\n`);
    await chmod(file, 0o755);
  }
  return log;
}

/** Uncommitted edits, a staged change, an untracked file and a stash entry: a user mid-work. */
export async function makeUserBusy(repo: TempRepo): Promise<void> {
  await makeStashEntry(repo);
  const tracked = (await repo.git('ls-files')).split('\n').filter((f) => f !== '');
  const [first = 'README.md'] = tracked;
  await repo.write({
    [first]: 'the user is editing this\n',
    'user-notes.txt': 'untracked notes\n',
    'staged.txt': 'staged\n',
  });
  await repo.git('add', 'staged.txt');
}

/** A stash entry, leaving the tree clean. */
export async function makeStashEntry(repo: TempRepo): Promise<void> {
  await repo.write({ 'stashed.txt': 'stashed work\n' });
  await repo.git('stash', 'push', '--include-untracked', '--quiet', '-m', 'user wip');
}

export { openTempRepo };
