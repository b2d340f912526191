// A temporary repository with one engine worktree on a new branch from `main`: the fixture the git
// layer's worktree tests start from, so each test file does not repeat the add-and-check steps.
import path from 'node:path';
import type { EngineWorktree } from '../engine-worktree';
import { addWorktree } from '../worktree-add';
import { createTempDir, createTempRepo } from './temp-repo';
import type { FileChanges, TempRepo } from './temp-repo';

export interface TempWorktree {
  repo: TempRepo;
  /** The engine's own folder the worktree lives in (`<home>/wt`). */
  home: { path: string; cleanup(): Promise<void> };
  worktree: EngineWorktree;
  cleanup(): Promise<void>;
}

export async function createTempWorktree(options: { files: FileChanges; branch: string }): Promise<TempWorktree> {
  const repo = await createTempRepo({ files: options.files });
  const home = await createTempDir('nocturnal-home-');
  const added = await addWorktree({
    repoPath: repo.path,
    worktreePath: path.join(home.path, 'wt'),
    ownedRoot: home.path,
    branch: options.branch,
    base: 'main',
  });
  if (added.kind !== 'created') {
    await repo.cleanup();
    await home.cleanup();
    throw new Error(`the test worktree was not created: ${added.kind}`);
  }
  return {
    repo,
    home,
    worktree: added.worktree,
    cleanup: async () => {
      await repo.cleanup();
      await home.cleanup();
    },
  };
}
