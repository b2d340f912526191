import { describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import { resolveCommit } from '../git/resolve-ref';
import { runGit } from '../git/run-git';
import { createGitCommandPolicy } from './git-command-policy';
import { createTempDir } from '../git/testing/temp-repo';
import { addWorktree } from '../git/worktree-add';
import { commitAll } from '../git/commit-all';
import { restoreWorktreeToHead } from '../git/worktree-restore';
import { removeWorktree } from '../git/worktree-remove';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

describe('the git command policy', () => {
  it('lets the engine read a repository and refuses destructive commands before they run', async () => {
    const repo = await createTempRepo();
    try {
      const policy = createGitCommandPolicy([]);
      expect(await resolveCommit(repo.path, 'HEAD', { policy })).toMatch(/^[0-9a-f]{40}$/);
      await expect(runGit(repo.path, ['reset', '--hard', 'HEAD'], { policy })).rejects.toThrow(/command policy/);
      await expect(runGit(repo.path, ['clean', '-fdx'], { policy })).rejects.toThrow(/command policy/);
      await expect(runGit(repo.path, ['stash'], { policy })).rejects.toThrow(/command policy/);
    } finally {
      await repo.cleanup();
    }
  });

  it('applies safety.blocked_commands to git too', async () => {
    const repo = await createTempRepo();
    try {
      const policy = createGitCommandPolicy(['/ log -1$/']);
      await expect(runGit(repo.path, ['log', '-1'], { policy })).rejects.toThrow(/command policy/);
    } finally {
      await repo.cleanup();
    }
  });

  it('lets the pinned worktree operations through (explicit git dir, filters switched off) and still refuses a filter that runs a program', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    const home = await createTempDir();
    try {
      await repo.git('config', 'filter.lfs.clean', 'git-lfs clean -- %f');
      const policy = createGitCommandPolicy([]);
      const worktreePath = path.join(home.path, 'wt');
      const added = await addWorktree({ policy, repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
      if (added.kind !== 'created') throw new Error(added.kind);
      await writeFile(path.join(worktreePath, 'a.txt'), 'edited\n');
      expect((await commitAll({ policy, worktree: added.worktree, ownedRoot: home.path, message: 'edit', paths: ['a.txt'] })).kind).toBe('committed');
      await writeFile(path.join(worktreePath, 'a.txt'), 'changed by a check\n');
      expect((await restoreWorktreeToHead({ policy, worktree: added.worktree, ownedRoot: home.path })).restored).toEqual(['a.txt']);
      expect((await removeWorktree({ policy, repoPath: repo.path, worktreePath, ownedRoot: home.path })).kind).toBe('removed');
      await expect(runGit(repo.path, ['-c', 'filter.x.clean=sh -c evil', 'status'], { policy })).rejects.toThrow(/command policy/);
    } finally {
      await repo.cleanup();
      await home.cleanup();
    }
  });
});
