import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createBackupRef,
  formatBackupStamp,
  isValidBackupName,
  parseBackupStamp,
  sanitizeBackupName,
} from './backup-ref';
import { listBackups } from './list-backups';
import { pruneBackups } from './prune-backups';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;
let head: string;

beforeEach(async () => {
  repo = await createTempRepo();
  head = await repo.git('rev-parse', 'HEAD');
});
afterEach(async () => {
  await repo.cleanup();
});

describe('backup refs', () => {
  it('creates timestamped refs that never overwrite each other', async () => {
    const now = new Date('2025-03-04T05:06:07.089Z');
    const a = await createBackupRef({ repoPath: repo.path, name: 'nocturnal/integration', oid: head, now });
    const b = await createBackupRef({ repoPath: repo.path, name: 'nocturnal/integration', oid: head, now });
    expect(a).toBe('refs/nocturnal/backups/nocturnal/integration/20250304T050607089Z');
    expect(b).toBe('refs/nocturnal/backups/nocturnal/integration/20250304T050607089Z-1');
    expect(await repo.git('rev-parse', a)).toBe(head);
    // Backups are invisible to everyday commands.
    expect(await repo.git('branch', '--list')).toBe('* main');
    expect(await repo.git('tag', '--list')).toBe('');
  });

  it('lists backups oldest first, by exact name, and prunes old ones', async () => {
    const second = await repo.commit({ 'x.txt': 'x\n' });
    const old = await createBackupRef({
      repoPath: repo.path,
      name: 'a',
      oid: head,
      now: new Date('2025-01-01T00:00:00Z'),
    });
    const recent = await createBackupRef({
      repoPath: repo.path,
      name: 'a',
      oid: second,
      now: new Date('2025-01-20T00:00:00Z'),
    });
    const nested = await createBackupRef({
      repoPath: repo.path,
      name: 'a/b',
      oid: head,
      now: new Date('2024-12-01T00:00:00Z'),
    });

    expect(await listBackups(repo.path, 'a')).toEqual([
      { ref: old, name: 'a', oid: head, createdAt: new Date('2025-01-01T00:00:00Z') },
      { ref: recent, name: 'a', oid: second, createdAt: new Date('2025-01-20T00:00:00Z') },
    ]);
    expect((await listBackups(repo.path)).map((b) => b.ref)).toEqual([nested, old, recent]);

    const { deleted } = await pruneBackups({
      repoPath: repo.path,
      olderThanDays: 10,
      now: new Date('2025-01-25T00:00:00Z'),
    });
    expect(deleted.map((b) => b.ref).sort()).toEqual([nested, old].sort());
    expect((await listBackups(repo.path)).map((b) => b.ref)).toEqual([recent]);
  });

  it('refuses to back up an object that does not exist', async () => {
    await expect(createBackupRef({ repoPath: repo.path, name: 'x', oid: '1'.repeat(40) })).rejects.toMatchObject({
      name: 'GitError',
    });
  });

  it('validates and sanitizes names, and round-trips stamps', () => {
    expect(isValidBackupName('nocturnal/integration')).toBe(true);
    expect(isValidBackupName('../x')).toBe(false);
    expect(isValidBackupName('a b')).toBe(false);
    expect(isValidBackupName('x.lock')).toBe(false);
    for (const label of ['feature/Ünïcode name', '..', 'a//b', 'x.lock', '-lead', 'ok/fine_1.2']) {
      expect(isValidBackupName(sanitizeBackupName(label))).toBe(true);
    }
    const date = new Date('2025-12-31T23:59:59.999Z');
    expect(parseBackupStamp(formatBackupStamp(date))).toEqual(date);
    expect(parseBackupStamp(`${formatBackupStamp(date)}-3`)).toEqual(date);
    expect(parseBackupStamp('nonsense')).toBeNull();
  });
});
