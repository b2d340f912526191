import path from 'node:path';
import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listWorktrees, parseWorktreeList } from './list-worktrees';
import { findBranchCheckout } from './find-branch-checkout';
import { createTempDir, createTempRepo } from './testing/temp-repo';

describe('listWorktrees', () => {
  it('lists the main checkout and linked worktrees with their state', async () => {
    const repo = await createTempRepo();
    const home = await createTempDir();
    try {
      const head = await repo.git('rev-parse', 'HEAD');
      // Git lists linked worktrees in name order.
      const linked = path.join(home.path, 'a-linked');
      const detached = path.join(home.path, 'b-detached');
      await repo.git('worktree', 'add', '--quiet', '-b', 'side', linked);
      await repo.git('worktree', 'add', '--quiet', '--detach', detached);
      await repo.git('worktree', 'lock', '--reason', 'on a usb stick', detached);

      expect(await listWorktrees(repo.path)).toEqual([
        {
          path: repo.path,
          isMain: true,
          head,
          branch: 'main',
          bare: false,
          detached: false,
          locked: false,
          lockReason: null,
          prunable: false,
        },
        {
          path: linked,
          isMain: false,
          head,
          branch: 'side',
          bare: false,
          detached: false,
          locked: false,
          lockReason: null,
          prunable: false,
        },
        {
          path: detached,
          isMain: false,
          head,
          branch: null,
          bare: false,
          detached: true,
          locked: true,
          lockReason: 'on a usb stick',
          prunable: false,
        },
      ]);

      await rm(linked, { recursive: true });
      const after = await listWorktrees(repo.path);
      expect(after[1]).toMatchObject({ path: linked, prunable: true });
    } finally {
      await repo.cleanup();
      await home.cleanup();
    }
  });

  it('parses bare and unborn entries', () => {
    const output = [
      'worktree /r.git',
      'bare',
      '',
      'worktree /w',
      'HEAD 0000000000000000000000000000000000000000',
      'branch refs/heads/new',
      '',
      '',
    ].join('\0');
    expect(parseWorktreeList(output)).toEqual([
      {
        path: '/r.git',
        isMain: true,
        head: null,
        branch: null,
        bare: true,
        detached: false,
        locked: false,
        lockReason: null,
        prunable: false,
      },
      {
        path: '/w',
        isMain: false,
        head: null,
        branch: 'new',
        bare: false,
        detached: false,
        locked: false,
        lockReason: null,
        prunable: false,
      },
    ]);
  });
});

describe('findBranchCheckout', () => {
  it('finds the worktree that has a branch checked out, or null', async () => {
    const repo = await createTempRepo();
    const home = await createTempDir();
    try {
      const linked = path.join(home.path, 'linked');
      await repo.git('worktree', 'add', '--quiet', '-b', 'side', linked);
      await repo.git('branch', 'idle');
      expect(await findBranchCheckout(repo.path, 'main')).toMatchObject({
        via: 'checkout',
        worktree: { path: repo.path, isMain: true },
      });
      expect(await findBranchCheckout(repo.path, 'side')).toMatchObject({
        via: 'checkout',
        worktree: { path: linked },
      });
      expect(await findBranchCheckout(repo.path, 'refs/heads/side')).toMatchObject({ worktree: { path: linked } });
      expect(await findBranchCheckout(repo.path, 'idle')).toBeNull();
      expect(await findBranchCheckout(repo.path, 'missing')).toBeNull();
    } finally {
      await repo.cleanup();
      await home.cleanup();
    }
  });

  it('counts a branch being rebased in a worktree as checked out there', async () => {
    const repo = await createTempRepo({ files: { 'f.txt': 'base\n' } });
    const home = await createTempDir();
    try {
      const linked = path.join(home.path, 'linked');
      await repo.git('worktree', 'add', '--quiet', '-b', 'topic', linked);
      await repo.commit({ 'f.txt': 'main change\n' }, 'main changes f');
      const topic = (await import('./testing/temp-repo')).openTempRepo(linked);
      await topic.commit({ 'f.txt': 'topic change\n' }, 'topic changes f');
      // The rebase stops on the conflict with HEAD detached; the branch is still in use.
      await expect(topic.git('rebase', 'main')).rejects.toThrow();
      expect(await topic.git('status', '--porcelain')).toMatch(/^UU f.txt/);
      expect(await findBranchCheckout(repo.path, 'topic')).toMatchObject({
        via: 'rebase',
        worktree: { path: linked, detached: true },
      });
      await topic.git('rebase', '--abort');
      expect(await findBranchCheckout(repo.path, 'topic')).toMatchObject({ via: 'checkout' });
    } finally {
      await repo.cleanup();
      await home.cleanup();
    }
  });
});
