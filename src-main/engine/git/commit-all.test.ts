import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAll } from './commit-all';
import { addWorktree } from './worktree-add';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempDir, createTempRepo, openTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let worktreePath: string;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': '*.log\n' } });
  home = await createTempDir();
  worktreePath = path.join(home.path, 'wt');
  await addWorktree({ repoPath: repo.path, worktreePath, ownedRoot: home.path, branch: 'attempt', base: 'main' });
});
afterEach(async () => {
  await repo.cleanup();
  await home.cleanup();
});

describe('commitAll', () => {
  it('stages additions, edits and deletions and commits them on the attempt branch', async () => {
    const wt = openTempRepo(worktreePath);
    await wt.write({ 'a.txt': 'edited\n', 'b.txt': null, 'src/new.ts': 'export {};\n', 'debug.log': 'ignored\n' });
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] });

    const result = await commitAll({ worktreePath, ownedRoot: home.path, message: 'nocturnal: do the thing\n\nbody', paths: ['a.txt', 'b.txt', 'src/new.ts', 'debug.log'] });

    expect(result.kind).toBe('committed');
    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('rev-parse', 'attempt')).toBe(commit);
    expect(await repo.git('show', '--name-status', '--format=%s|%an', commit)).toBe('nocturnal: do the thing|Nocturnal Agent\n\nM\ta.txt\nD\tb.txt\nA\tsrc/new.ts');
    expect(await wt.git('status', '--porcelain')).toBe('');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] })).toEqual(before);
  });

  it('says so when there is nothing to commit', async () => {
    expect(await commitAll({ worktreePath, ownedRoot: home.path, message: 'nothing', paths: ['a.txt'] })).toEqual({ kind: 'nothing-to-commit' });
    expect(await commitAll({ worktreePath, ownedRoot: home.path, message: 'nothing', paths: [] })).toEqual({ kind: 'nothing-to-commit' });
  });

  it('stages only the named paths: files a check left behind are never committed', async () => {
    const wt = openTempRepo(worktreePath);
    await wt.write({ 'a.txt': 'edited by the model\n', '.github/workflows/evil.yml': 'on: push\n', '*': 'a file named star\n' });
    const result = await commitAll({ worktreePath, ownedRoot: home.path, message: 'only a.txt', paths: ['a.txt'] });
    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('show', '--name-only', '--format=', commit)).toBe('a.txt');
  });

  it('refuses the user checkout and a subdirectory of a worktree', async () => {
    await repo.write({ 'a.txt': 'user edit\n' });
    const before = await snapshotCheckout(repo.path);
    await expect(commitAll({ worktreePath: repo.path, ownedRoot: home.path, message: 'x', paths: ['a.txt'] })).rejects.toThrow(/not inside/);
    await mkdir(path.join(worktreePath, 'sub'));
    await expect(commitAll({ worktreePath: path.join(worktreePath, 'sub'), ownedRoot: home.path, message: 'x', paths: ['a.txt'] })).rejects.toThrow(/not the top/);
    await expect(commitAll({ worktreePath, ownedRoot: home.path, message: '  ', paths: ['a.txt'] })).rejects.toMatchObject({ kind: 'validation' });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });
});
