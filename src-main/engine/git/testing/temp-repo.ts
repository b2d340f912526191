// Real, throw-away git repositories for tests across the project (DESIGN §10: git code runs against
// real repositories, never mocks). Everything goes through runGit, so tests get the same sanitized
// environment and fixed identity as the engine and work on machines without a git identity.
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from '../run-git';
import { withMessageFile } from '../message-file';

export type FileChanges = Record<string, string | null>;

export interface TempRepo {
  /** Canonical (symlink-resolved) path of the working tree. */
  path: string;
  /** Runs git in the repository and returns trimmed stdout; throws GitError on failure. */
  git(...args: string[]): Promise<string>;
  /** Writes files (null deletes) without staging or committing — the user's uncommitted work. */
  write(files: FileChanges): Promise<void>;
  /** Writes, stages exactly these paths and commits on the current branch; returns the commit id. */
  commit(files: FileChanges, message?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface CreateTempRepoOptions {
  /** Files of the first commit; default a README. */
  files?: FileChanges;
  /** Initial branch; default `main`. */
  branch?: string;
  /** Skip the first commit (an unborn branch). */
  empty?: boolean;
}

export async function createTempDir(prefix = 'nocturnal-test-'): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), prefix)));
  return { path: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function createTempRepo(options: CreateTempRepoOptions = {}): Promise<TempRepo> {
  const dir = await createTempDir('nocturnal-repo-');
  const repoPath = dir.path;
  await runGit(repoPath, ['init', '--quiet', `--initial-branch=${options.branch ?? 'main'}`]);
  const repo = openTempRepo(repoPath, dir.cleanup);
  if (!options.empty) await repo.commit(options.files ?? { 'README.md': '# test repository\n' }, 'initial commit');
  return repo;
}

/** Wraps an existing directory (a linked worktree of a temp repo, say) in the same helpers. */
export function openTempRepo(repoPath: string, cleanup: () => Promise<void> = async () => undefined): TempRepo {
  const git = async (...args: string[]): Promise<string> => (await runGit(repoPath, args)).stdout.trim();
  // Literal pathspecs for staging: test file names are names, not patterns. (Not for everything:
  // `stash --include-untracked` relies on a `:/` pathspec internally.)
  const stage = (...args: string[]) => runGit(repoPath, args, { env: { GIT_LITERAL_PATHSPECS: '1' } });
  const write = async (files: FileChanges): Promise<void> => {
    for (const [file, content] of Object.entries(files)) {
      const target = path.join(repoPath, file);
      if (content === null) {
        await rm(target, { force: true, recursive: true });
      } else {
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
  };
  return {
    path: repoPath,
    git,
    write,
    async commit(files, message = 'test commit') {
      await write(files);
      const kept = Object.keys(files).filter((file) => files[file] !== null);
      const removed = Object.keys(files).filter((file) => files[file] === null);
      if (kept.length > 0) await stage('add', '--all', '--', ...kept);
      if (removed.length > 0) await stage('rm', '-r', '--cached', '--ignore-unmatch', '--quiet', '--', ...removed);
      await withMessageFile(message, (file) =>
        runGit(repoPath, ['commit', '--quiet', '--allow-empty', '--no-verify', `--file=${file}`]),
      );
      return git('rev-parse', 'HEAD');
    },
    cleanup,
  };
}
