import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteRefCas, updateRefCas } from './update-ref';
import { moveRefWithBackup } from './move-ref-with-backup';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;
let first: string;
let second: string;

beforeEach(async () => {
  repo = await createTempRepo();
  first = await repo.git('rev-parse', 'HEAD');
  second = await repo.commit({ 'b.txt': 'b\n' });
});
afterEach(async () => {
  await repo.cleanup();
});

describe('updateRefCas', () => {
  it('creates a ref only if it does not exist', async () => {
    const ref = 'refs/heads/created';
    expect(
      await updateRefCas({ repoPath: repo.path, ref, newOid: first, expectedOld: null, message: 'create' }),
    ).toEqual({ kind: 'ok' });
    expect(await repo.git('rev-parse', ref)).toBe(first);
    expect(
      await updateRefCas({ repoPath: repo.path, ref, newOid: second, expectedOld: null, message: 'create again' }),
    ).toEqual({ kind: 'stale', actual: first });
    expect(await repo.git('rev-parse', ref)).toBe(first);
  });

  it('moves a ref that holds the expected value and reports the actual one otherwise', async () => {
    await repo.git('branch', 'target', first);
    expect(
      await updateRefCas({
        repoPath: repo.path,
        ref: 'refs/heads/target',
        newOid: second,
        expectedOld: first,
        message: 'advance',
      }),
    ).toEqual({ kind: 'ok' });
    expect(await repo.git('reflog', '-1', '--format=%gs', 'refs/heads/target')).toBe('advance');
    // Someone else moved it meanwhile: the stale write does not happen.
    expect(
      await updateRefCas({
        repoPath: repo.path,
        ref: 'refs/heads/target',
        newOid: first,
        expectedOld: first,
        message: 'stale',
      }),
    ).toEqual({ kind: 'stale', actual: second });
    expect(await repo.git('rev-parse', 'target')).toBe(second);
    expect(
      await updateRefCas({
        repoPath: repo.path,
        ref: 'refs/heads/missing',
        newOid: first,
        expectedOld: second,
        message: 'x',
      }),
    ).toEqual({ kind: 'stale', actual: null });
  });

  it('reports a held ref lock as locked', async () => {
    await repo.git('branch', 'target', first);
    await repo.write({ '.git/refs/heads/target.lock': '' });
    expect(
      await updateRefCas({
        repoPath: repo.path,
        ref: 'refs/heads/target',
        newOid: second,
        expectedOld: first,
        message: 'x',
      }),
    ).toEqual({ kind: 'locked' });
    expect(await repo.git('rev-parse', 'target')).toBe(first);
  });

  it('refuses short names and non-oid values', async () => {
    await expect(
      updateRefCas({ repoPath: repo.path, ref: 'main', newOid: first, expectedOld: second, message: 'x' }),
    ).rejects.toMatchObject({ kind: 'validation' });
    await expect(
      updateRefCas({ repoPath: repo.path, ref: 'refs/heads/main', newOid: 'HEAD', expectedOld: second, message: 'x' }),
    ).rejects.toMatchObject({ kind: 'validation' });
  });
});

describe('deleteRefCas', () => {
  it('deletes only when the ref still holds the expected value', async () => {
    await repo.git('branch', 'doomed', first);
    expect(
      await deleteRefCas({ repoPath: repo.path, ref: 'refs/heads/doomed', expectedOld: second, message: 'x' }),
    ).toEqual({ kind: 'stale', actual: first });
    expect(
      await deleteRefCas({ repoPath: repo.path, ref: 'refs/heads/doomed', expectedOld: first, message: 'x' }),
    ).toEqual({ kind: 'ok' });
    expect(await repo.git('branch', '--list', 'doomed')).toBe('');
  });
});

describe('moveRefWithBackup', () => {
  it('backs up the old value before moving, and keeps the backup when the move loses a race', async () => {
    await repo.git('branch', 'target', first);
    const moved = await moveRefWithBackup({
      repoPath: repo.path,
      ref: 'refs/heads/target',
      newOid: second,
      expectedOld: first,
      backupName: 'target',
      message: 'move',
      now: new Date('2025-01-01T00:00:00Z'),
    });
    expect(moved).toEqual({ kind: 'moved', backupRef: 'refs/nocturnal/backups/target/20250101T000000000Z' });
    expect(await repo.git('rev-parse', 'refs/nocturnal/backups/target/20250101T000000000Z')).toBe(first);
    expect(await repo.git('rev-parse', 'target')).toBe(second);

    const lost = await moveRefWithBackup({
      repoPath: repo.path,
      ref: 'refs/heads/target',
      newOid: first,
      expectedOld: first,
      backupName: 'target',
      message: 'move',
      now: new Date('2025-01-01T00:00:01Z'),
    });
    expect(lost).toEqual({
      kind: 'stale',
      actual: second,
      backupRef: 'refs/nocturnal/backups/target/20250101T000001000Z',
    });
    expect(await repo.git('rev-parse', 'target')).toBe(second);
  });
});
