import { describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import { resolveCommit } from '../git/resolve-ref';
import { observeGitSpawns, runGit } from '../git/run-git';
import { GitRefusedError } from '../git/git-error';
import { existsSync } from 'node:fs';
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
      const added = await addWorktree({
        policy,
        repoPath: repo.path,
        worktreePath,
        ownedRoot: home.path,
        branch: 'attempt',
        base: 'main',
      });
      if (added.kind !== 'created') throw new Error(added.kind);
      await writeFile(path.join(worktreePath, 'a.txt'), 'edited\n');
      expect(
        (await commitAll({ policy, worktree: added.worktree, ownedRoot: home.path, message: 'edit', paths: ['a.txt'] }))
          .kind,
      ).toBe('committed');
      await writeFile(path.join(worktreePath, 'a.txt'), 'changed by a check\n');
      expect(
        (await restoreWorktreeToHead({ policy, worktree: added.worktree, ownedRoot: home.path })).restored,
      ).toEqual(['a.txt']);
      expect((await removeWorktree({ policy, repoPath: repo.path, worktreePath, ownedRoot: home.path })).kind).toBe(
        'removed',
      );
      await expect(runGit(repo.path, ['-c', 'filter.x.clean=sh -c evil', 'status'], { policy })).rejects.toThrow(
        /command policy/,
      );
    } finally {
      await repo.cleanup();
      await home.cleanup();
    }
  });
});

describe('a git command the policy refuses', () => {
  it('is a typed GitRefusedError and git never starts (the marker it would create stays absent)', async () => {
    const repo = await createTempRepo();
    const home = await createTempDir();
    const spawned: (readonly string[])[] = [];
    const stop = observeGitSpawns((args) => void spawned.push(args));
    try {
      const marker = path.join(home.path, 'marker-repo');
      const error = await runGit(repo.path, ['init', '--quiet', marker], { policy: createGitCommandPolicy([]) }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GitRefusedError);
      expect(error).toMatchObject({ rule: 'git-allow-list', exitCode: null, cwd: repo.path });
      expect((error as GitRefusedError).reason).toMatch(/runs git init, which is not on the engine's git allow list/);
      expect(spawned).toEqual([]);
      expect(existsSync(marker)).toBe(false);
      // The same command without the policy does start (through simple-git) and leaves the marker.
      await runGit(repo.path, ['init', '--quiet', marker]);
      expect(spawned).toHaveLength(1);
      expect(existsSync(path.join(marker, '.git'))).toBe(true);
    } finally {
      stop();
      await repo.cleanup();
      await home.cleanup();
    }
  });
});
