import { describe, expect, it } from 'vitest';
import { getWorktreeStatus } from './worktree-status';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempRepo } from './testing/temp-repo';

describe('getWorktreeStatus', () => {
  it('calls a tree with nothing changed clean, even with ignored files', async () => {
    const repo = await createTempRepo({ files: { '.gitignore': 'build/\n', 'a.txt': 'a\n' } });
    try {
      await repo.write({ 'build/out.js': 'ignored\n' });
      expect(await getWorktreeStatus(repo.path)).toEqual({ clean: true, entries: [], operation: null });
    } finally {
      await repo.cleanup();
    }
  });

  it('lists staged, unstaged and untracked changes (files in new directories one by one)', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n' } });
    try {
      await repo.write({ 'a.txt': 'changed\n', 'b.txt': null, 'new dir/c.txt': 'c\n' });
      await repo.git('add', 'a.txt');
      const status = await getWorktreeStatus(repo.path);
      expect(status.clean).toBe(false);
      expect(status.entries).toEqual([
        { path: 'a.txt', index: 'M', worktree: ' ' },
        { path: 'b.txt', index: ' ', worktree: 'D' },
        { path: 'new dir/c.txt', index: '?', worktree: '?' },
      ]);
    } finally {
      await repo.cleanup();
    }
  });

  it('does not call a tree clean while a merge is unfinished', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    try {
      await repo.git('checkout', '--quiet', '-b', 'other');
      await repo.commit({ 'b.txt': 'b\n' });
      await repo.git('checkout', '--quiet', 'main');
      await repo.commit({ 'c.txt': 'c\n' });
      // `-s ours` leaves index and files as they are: only the merge state says "unfinished".
      await repo.git('merge', '--no-commit', '-s', 'ours', 'other');
      const status = await getWorktreeStatus(repo.path);
      expect(status).toEqual({ clean: false, entries: [], operation: 'merge' });
    } finally {
      await repo.cleanup();
    }
  });

  it('reads without writing: the index file is untouched', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    try {
      await repo.write({ 'a.txt': 'edited\n' });
      const before = await snapshotCheckout(repo.path);
      await getWorktreeStatus(repo.path);
      expect(await snapshotCheckout(repo.path)).toEqual(before);
    } finally {
      await repo.cleanup();
    }
  });
});
