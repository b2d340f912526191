import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { snapshotCheckout } from './checkout-snapshot';
import { createTempRepo } from './temp-repo';
import type { TempRepo } from './temp-repo';
import { makeUserBusy } from './attempt-fixture';

let repo: TempRepo;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'a.txt': 'a\n', '.gitignore': 'ignored/\n' } });
  await makeUserBusy(repo);
});
afterEach(async () => {
  await repo.cleanup();
});

describe('snapshotCheckout', () => {
  it('is stable when nothing changes and captures the user’s state', async () => {
    const first = await snapshotCheckout(repo.path);
    expect(await snapshotCheckout(repo.path)).toEqual(first);
    expect(first.head).toEqual({ symbolic: 'refs/heads/main', oid: await repo.git('rev-parse', 'HEAD') });
    expect(first.stash).toHaveLength(1);
    expect(first.stash[0]).toMatch(/user wip$/);
    // makeUserBusy edits the first tracked file, stages one new file and leaves another untracked.
    expect(Object.keys(first.files).sort()).toEqual(['.gitignore', 'staged.txt', 'user-notes.txt']);
    expect(first.status.some((s) => s.endsWith('user-notes.txt'))).toBe(true);
  });

  const changes: [string, (r: TempRepo) => Promise<unknown>][] = [
    ['an edit to an already modified file', (r) => r.write({ '.gitignore': 'ignored/\nmore\n' })],
    ['an edit to an untracked file', (r) => r.write({ 'user-notes.txt': 'other notes\n' })],
    ['a new ignored file', (r) => r.write({ 'ignored/build.out': 'x\n' })],
    ['a staged change', (r) => r.git('add', 'user-notes.txt')],
    ['a dropped stash entry', (r) => r.git('stash', 'drop', '--quiet')],
    ['a moved branch', (r) => r.git('branch', 'other')],
    ['a new tag', (r) => r.git('tag', 'v1')],
    ['a detached HEAD', (r) => r.git('checkout', '--quiet', '--detach')],
    ['a config change', (r) => r.git('config', 'user.name', 'Somebody')],
    [
      'a changed hook',
      async (r) => {
        const hook = path.join(r.path, '.git', 'hooks', 'pre-commit');
        await writeFile(hook, '#!/bin/sh\n');
        await chmod(hook, 0o755);
      },
    ],
    ['a rewritten ORIG_HEAD', (r) => r.git('update-ref', '--no-deref', 'ORIG_HEAD', 'refs/stash')],
  ];

  for (const [what, change] of changes) {
    it(`notices ${what}`, async () => {
      const before = await snapshotCheckout(repo.path);
      await change(repo);
      expect(await snapshotCheckout(repo.path)).not.toEqual(before);
    });
  }

  it('leaves out branches the caller allows to move', async () => {
    await repo.git('branch', 'target');
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['target'] });
    await repo.git('branch', '-f', 'target', 'HEAD~0');
    await repo.git('branch', '-D', 'target');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['target'] })).toEqual(before);
  });
});
