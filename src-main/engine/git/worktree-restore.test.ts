import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDir, createTempRepo, openTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';
import { addWorktree } from './worktree-add';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { restoreWorktreeToHead } from './worktree-restore';
import type { EngineWorktree } from './engine-worktree';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let worktreePath: string;
let worktree: EngineWorktree;
beforeEach(async () => {
  repo = await createTempRepo({
    files: { 'a.txt': 'a\n', 'src/b.sh': '#!/bin/sh\necho b\n', 'src/c.txt': 'c\n', '.gitignore': 'build/\n' },
  });
  await repo.git('update-index', '--chmod=+x', 'src/b.sh');
  await repo.git('commit', '-q', '-m', 'exec bit');
  home = await createTempDir('nocturnal-home-');
  worktreePath = path.join(home.path, 'wt');
  const added = await addWorktree({
    repoPath: repo.path,
    worktreePath,
    ownedRoot: home.path,
    branch: 'attempt',
    base: 'main',
  });
  if (added.kind !== 'created') throw new Error(added.kind);
  worktree = added.worktree;
});
afterEach(async () => {
  await repo.cleanup();
  await home.cleanup();
});

describe('restoreWorktreeToHead', () => {
  it('undoes everything a check did to the worktree, without following links it left', async () => {
    const outside = path.join(home.path, 'outside');
    fs.mkdirSync(outside);
    const wt = openTempRepo(worktreePath);
    await wt.write({
      'a.txt': 'changed by a check\n',
      '.github/workflows/evil.yml': 'on: push\n',
      'build/out.js': 'ignored output\n',
    });
    fs.rmSync(path.join(worktreePath, 'src'), { recursive: true });
    fs.symlinkSync(outside, path.join(worktreePath, 'src'));

    const result = await restoreWorktreeToHead({ worktree, ownedRoot: home.path });

    expect(await wt.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(fs.readFileSync(path.join(worktreePath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(fs.lstatSync(path.join(worktreePath, 'src')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(worktreePath, 'src/b.sh')).mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.existsSync(path.join(worktreePath, '.github'))).toBe(false);
    expect(result.removed).toEqual(expect.arrayContaining(['.github/', 'src']));
    // Ignored build output is not the check's to keep, but not ours to judge either: it stays.
    expect(fs.existsSync(path.join(worktreePath, 'build/out.js'))).toBe(true);
  });

  it('refuses a directory outside the engine root', async () => {
    await expect(
      restoreWorktreeToHead({ worktree: { ...worktree, path: repo.path }, ownedRoot: home.path }),
    ).rejects.toThrow(/not inside/);
  });

  it('restores from the attempt branch even when .git was rewritten to point at the user repository, leaving it untouched', async () => {
    await repo.write({ 'a.txt': 'user edit\n', 'untracked.txt': 'mine\n' });
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] });
    fs.writeFileSync(path.join(worktreePath, '.git'), `gitdir: ${path.join(repo.path, '.git')}\n`);
    fs.writeFileSync(path.join(worktreePath, 'a.txt'), 'changed by a check\n');

    await restoreWorktreeToHead({ worktree, ownedRoot: home.path });

    expect(fs.readFileSync(path.join(worktreePath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] })).toEqual(before);
  });
});
