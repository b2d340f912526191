import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addWorktree } from './worktree-add';
import { removeWorktree } from './worktree-remove';
import { listWorktrees } from './list-worktrees';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
  home = await createTempDir();
});
afterEach(async () => {
  await repo.cleanup();
  await home.cleanup();
});

describe('addWorktree', () => {
  it('creates a new branch from the base in a new directory, leaving the user checkout alone', async () => {
    await repo.write({ 'a.txt': 'uncommitted edit\n' });
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['nocturnal/t1/1'] });
    const base = await repo.git('rev-parse', 'main');
    const worktreePath = path.join(home.path, 'worktrees', 'ws', 't1-1');

    const result = await addWorktree({
      repoPath: repo.path,
      worktreePath,
      ownedRoot: home.path,
      branch: 'nocturnal/t1/1',
      base: 'main',
    });

    const commonDir = path.join(repo.path, '.git');
    const worktree = {
      repoPath: repo.path,
      path: worktreePath,
      gitDir: path.join(commonDir, 'worktrees', 't1-1'),
      commonDir,
      branch: 'nocturnal/t1/1',
    };
    expect(result).toEqual({ kind: 'created', path: worktreePath, branch: 'nocturnal/t1/1', head: base, worktree });
    // Recorded from the repository's side; it is exactly what git wrote into the worktree's .git file.
    expect(await readFile(path.join(worktreePath, '.git'), 'utf8')).toBe(`gitdir: ${worktree.gitDir}\n`);
    expect(await readFile(path.join(worktreePath, 'a.txt'), 'utf8')).toBe('a\n');
    expect(await repo.git('rev-parse', 'nocturnal/t1/1')).toBe(base);
    // Includes the local config: no upstream tracking section was written for the new branch.
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['nocturnal/t1/1'] })).toEqual(before);
  });

  it('refuses an existing branch, a missing base, a bad name and an existing path', async () => {
    const at = (name: string) => path.join(home.path, name);
    await repo.git('branch', 'taken');
    expect(
      await addWorktree({
        repoPath: repo.path,
        worktreePath: at('x'),
        ownedRoot: home.path,
        branch: 'taken',
        base: 'main',
      }),
    ).toEqual({ kind: 'branch-exists' });
    expect(
      await addWorktree({
        repoPath: repo.path,
        worktreePath: at('x'),
        ownedRoot: home.path,
        branch: 'fresh',
        base: 'nope',
      }),
    ).toEqual({ kind: 'base-not-found' });
    expect(
      await addWorktree({
        repoPath: repo.path,
        worktreePath: at('x'),
        ownedRoot: home.path,
        branch: 'bad..name',
        base: 'main',
      }),
    ).toEqual({ kind: 'invalid-branch-name' });
    expect(
      await addWorktree({
        repoPath: repo.path,
        worktreePath: at('x'),
        ownedRoot: home.path,
        branch: '-f',
        base: 'main',
      }),
    ).toEqual({ kind: 'invalid-branch-name' });
    await mkdir(at('occupied'));
    expect(
      await addWorktree({
        repoPath: repo.path,
        worktreePath: at('occupied'),
        ownedRoot: home.path,
        branch: 'fresh',
        base: 'main',
      }),
    ).toEqual({ kind: 'path-exists' });
    expect(await repo.git('branch', '--list', 'fresh')).toBe('');
  });

  it('refuses any path outside the engine root, including the user checkout and symlink escapes', async () => {
    await expect(
      addWorktree({
        repoPath: repo.path,
        worktreePath: path.join(repo.path, 'wt'),
        ownedRoot: home.path,
        branch: 'b1',
        base: 'main',
      }),
    ).rejects.toThrow(/not inside the engine's own directory/);
    await expect(
      addWorktree({ repoPath: repo.path, worktreePath: home.path, ownedRoot: home.path, branch: 'b1', base: 'main' }),
    ).rejects.toThrow(/not inside/);
    await symlink(repo.path, path.join(home.path, 'escape'));
    await expect(
      addWorktree({
        repoPath: repo.path,
        worktreePath: path.join(home.path, 'escape', 'wt'),
        ownedRoot: home.path,
        branch: 'b1',
        base: 'main',
      }),
    ).rejects.toThrow(/not inside/);
    expect(await repo.git('branch', '--list', 'b1')).toBe('');
  });
});

describe('removeWorktree', () => {
  it('removes an engine worktree with uncommitted files and keeps its branch', async () => {
    const worktreePath = path.join(home.path, 'wt');
    await addWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
    await mkdir(path.join(worktreePath, 'scratch'));
    const before = await snapshotCheckout(repo.path);
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'removed',
      path: worktreePath,
    });
    expect((await listWorktrees(repo.path)).map((w) => w.path)).toEqual([repo.path]);
    expect(await repo.git('branch', '--list', 'attempt')).toContain('attempt');
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('removes a worktree left locked by a `worktree add` that a crash cut short', async () => {
    const worktreePath = path.join(home.path, 'wt');
    await addWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
    // git holds this lock for the length of `worktree add`; a kill -9 in between leaves it.
    await repo.git('worktree', 'lock', '--reason', 'initializing', worktreePath);
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'removed',
      path: worktreePath,
    });
    expect((await listWorktrees(repo.path)).map((w) => w.path)).toEqual([repo.path]);
    expect(await repo.git('branch', '--list', 'attempt')).toContain('attempt');
  });

  it('tolerates a worktree whose directory is already gone, and a second removal', async () => {
    const worktreePath = path.join(home.path, 'wt');
    await addWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
    const { rm } = await import('node:fs/promises');
    await rm(worktreePath, { recursive: true });
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'removed',
      path: worktreePath,
    });
    expect(await listWorktrees(repo.path)).toHaveLength(1);
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'absent',
    });
  });

  it('does not prune the user’s own stale worktrees', async () => {
    const userWorktree = path.join(home.path, 'user-usb-stick');
    await repo.git('worktree', 'add', '--quiet', '-b', 'theirs', userWorktree);
    const { rm } = await import('node:fs/promises');
    await rm(userWorktree, { recursive: true });
    const worktreePath = path.join(home.path, 'engine', 'wt');
    await addWorktree({
      repoPath: repo.path,
      worktreePath,
      ownedRoot: path.join(home.path, 'engine'),
      branch: 'attempt',
      base: 'main',
    });
    await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: path.join(home.path, 'engine') });
    expect((await listWorktrees(repo.path)).map((w) => w.path)).toEqual([repo.path, userWorktree]);
  });

  it('leaves a directory that is not a worktree of this repository alone', async () => {
    await mkdir(path.join(home.path, 'stray'));
    expect(
      await removeWorktree({ repoPath: repo.path, worktreePath: path.join(home.path, 'stray'), ownedRoot: home.path }),
    ).toEqual({ kind: 'not-registered' });
  });

  it('refuses paths outside the engine root, such as the user checkout', async () => {
    await expect(
      removeWorktree({ repoPath: repo.path, worktreePath: repo.path, ownedRoot: home.path }),
    ).rejects.toThrow(/not inside/);
  });

  it('removes and unregisters a worktree whose .git file a check rewrote or replaced, touching nothing else', async () => {
    const other = await createTempRepo({ files: { 'o.txt': 'o\n' } });
    try {
      for (const [i, tamper] of ['user-repo', 'other-repo', 'directory', 'symlink'].entries()) {
        const worktreePath = path.join(home.path, `wt-${i}`);
        const added = await addWorktree({
          repoPath: repo.path,
          worktreePath,
          ownedRoot: home.path,
          branch: `attempt-${i}`,
          base: 'main',
        });
        if (added.kind !== 'created') throw new Error(added.kind);
        const before = await snapshotCheckout(repo.path, { ignoreBranches: [`attempt-${i}`] });
        const otherBefore = await snapshotCheckout(other.path);
        const dotGit = path.join(worktreePath, '.git');
        await rm(dotGit);
        if (tamper === 'user-repo') await writeFile(dotGit, `gitdir: ${path.join(repo.path, '.git')}\n`);
        if (tamper === 'other-repo') await writeFile(dotGit, `gitdir: ${path.join(other.path, '.git')}\n`);
        if (tamper === 'directory') await mkdir(path.join(dotGit, 'objects'), { recursive: true });
        if (tamper === 'symlink') await symlink(path.join(other.path, '.git'), dotGit);

        expect(
          await removeWorktree({
            repoPath: repo.path,
            worktreePath,
            ownedRoot: home.path,
            gitDir: added.worktree.gitDir,
          }),
          tamper,
        ).toEqual({ kind: 'removed', path: worktreePath });

        expect(
          (await listWorktrees(repo.path)).map((w) => w.path),
          tamper,
        ).toEqual([repo.path]);
        expect(existsSync(worktreePath), tamper).toBe(false);
        expect(await snapshotCheckout(repo.path, { ignoreBranches: [`attempt-${i}`] }), tamper).toEqual(before);
        expect(await snapshotCheckout(other.path), tamper).toEqual(otherBefore);
      }
    } finally {
      await other.cleanup();
    }
  });

  it('puts back an admin folder whose gitdir a check rewrote, so the worktree is still unregistered', async () => {
    const worktreePath = path.join(home.path, 'wt');
    const added = await addWorktree({
      repoPath: repo.path,
      worktreePath,
      ownedRoot: home.path,
      branch: 'attempt',
      base: 'main',
    });
    if (added.kind !== 'created') throw new Error(added.kind);
    await writeFile(path.join(added.worktree.gitDir, 'gitdir'), '/somewhere/else/.git\n');
    expect(
      await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, gitDir: added.worktree.gitDir }),
    ).toEqual({ kind: 'removed', path: worktreePath });
    expect((await listWorktrees(repo.path)).map((w) => w.path)).toEqual([repo.path]);
    expect(existsSync(added.worktree.gitDir)).toBe(false);
  });

  it('deletes the engine folder when the repository itself was deleted meanwhile', async () => {
    const worktreePath = path.join(home.path, 'wt');
    await addWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
    await rm(repo.path, { recursive: true, force: true });
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'repository-gone',
      path: worktreePath,
    });
    expect(existsSync(worktreePath)).toBe(false);
    expect(await removeWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path })).toEqual({
      kind: 'absent',
    });
  });
});
