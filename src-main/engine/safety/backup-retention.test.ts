import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBackupRef } from '../git/backup-ref';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { applyBackupRetention } from './backup-retention';

let repo: TempRepo;
let head: string;
const now = new Date('2025-06-30T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * 24 * 60 * 60 * 1000);

beforeEach(async () => {
  repo = await createTempRepo();
  head = await repo.git('rev-parse', 'HEAD');
});
afterEach(async () => {
  await repo.cleanup();
});

const backup = (name: string, age: number) =>
  createBackupRef({ repoPath: repo.path, name, oid: head, now: daysAgo(age) });
const backupRefs = async () =>
  (await repo.git('for-each-ref', '--format=%(refname)', 'refs/nocturnal/backups/')).split('\n').filter(Boolean).sort();

describe('applyBackupRetention', () => {
  it('deletes backups older than the retention, keeps recent ones and refs it did not name', async () => {
    const old1 = await backup('att-1', 40);
    const old2 = await backup('att-2-undo', 31);
    const recent = await backup('att-3', 29);
    await repo.git('update-ref', 'refs/nocturnal/backups/handmade', head);

    const result = await applyBackupRetention({ repoPath: repo.path, retentionDays: 30, protectedRefs: [], now });
    expect(result.deleted.map((b) => b.ref).sort()).toEqual([old1, old2].sort());
    expect(result.kept).toEqual([]);
    expect(await backupRefs()).toEqual(['refs/nocturnal/backups/handmade', recent].sort());
    // The user's branches are untouched.
    expect(await repo.git('rev-parse', 'main')).toBe(head);
  });

  it('never deletes the backup of an attempt merged within the window, nor other backups of that attempt', async () => {
    const mergedTarget = await backup('att-merged', 45);
    const mergedBranch = await backup('att-merged', 44);
    const other = await backup('att-rejected', 45);
    const recent = await backup('att-new', 1);

    const result = await applyBackupRetention({
      repoPath: repo.path,
      retentionDays: 30,
      protectedRefs: [mergedTarget, recent],
      now,
    });
    expect(result.deleted.map((b) => b.ref)).toEqual([other]);
    expect(result.kept.map((b) => b.ref).sort()).toEqual([mergedTarget, mergedBranch].sort());
    expect(await backupRefs()).toEqual([mergedTarget, mergedBranch, recent].sort());
  });

  it('does nothing when nothing is old, and refuses a retention that would drop every undo', async () => {
    const recent = await backup('att-1', 2);
    expect(await applyBackupRetention({ repoPath: repo.path, retentionDays: 7, protectedRefs: [], now })).toEqual({
      deleted: [],
      kept: [],
    });
    expect(await backupRefs()).toEqual([recent]);
    await expect(
      applyBackupRetention({ repoPath: repo.path, retentionDays: 0, protectedRefs: [], now }),
    ).rejects.toThrow(/positive number of days/);
  });
});
