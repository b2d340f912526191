import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteBranch } from './branch-delete';
import { listBackups } from './list-backups';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;

beforeEach(async () => {
  repo = await createTempRepo();
});
afterEach(async () => {
  await repo.cleanup();
});

describe('deleteBranch', () => {
  it('backs the branch up, then deletes it', async () => {
    await repo.git('checkout', '--quiet', '-b', 'nocturnal/t/1');
    const tip = await repo.commit({ 'x.txt': 'x\n' });
    await repo.git('checkout', '--quiet', 'main');
    const now = new Date('2025-01-02T03:04:05.006Z');

    const result = await deleteBranch({ repoPath: repo.path, branch: 'nocturnal/t/1', backupName: 'attempt/t-1', now });

    expect(result).toEqual({
      kind: 'deleted',
      oid: tip,
      backupRef: 'refs/nocturnal/backups/attempt/t-1/20250102T030405006Z',
    });
    expect(await repo.git('branch', '--list', 'nocturnal/t/1')).toBe('');
    expect(await listBackups(repo.path, 'attempt/t-1')).toEqual([
      { ref: 'refs/nocturnal/backups/attempt/t-1/20250102T030405006Z', name: 'attempt/t-1', oid: tip, createdAt: now },
    ]);
  });

  it('refuses a branch that is checked out, and reports a missing one', async () => {
    const home = await createTempDir();
    try {
      await repo.git('worktree', 'add', '--quiet', '-b', 'busy', path.join(home.path, 'wt'));
      expect(await deleteBranch({ repoPath: repo.path, branch: 'busy' })).toEqual({
        kind: 'checked-out',
        worktree: path.join(home.path, 'wt'),
      });
      expect(await deleteBranch({ repoPath: repo.path, branch: 'main' })).toEqual({
        kind: 'checked-out',
        worktree: repo.path,
      });
      expect(await deleteBranch({ repoPath: repo.path, branch: 'ghost' })).toEqual({ kind: 'not-found' });
      expect(await listBackups(repo.path)).toEqual([]);
    } finally {
      await home.cleanup();
    }
  });
});
