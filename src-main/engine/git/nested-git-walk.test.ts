// The walk for planted `.git` entries keeps each settled folder's listing between walks: a folder is
// listed again whenever an entry in it was added, removed or renamed — even with its mtime put back —
// and a folder changed within the settle time is never taken from a kept listing.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from './testing/temp-repo';
import { findNestedGit, nestedGitWalkStats } from './nested-git-walk';

let dir: { path: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => {
  await dir?.cleanup();
  dir = undefined;
});

/** A worktree-like tree: the engine's `.git` file at the top, 3 × 5 folders with a file each. */
async function tree(): Promise<string> {
  dir = await createTempDir('nocturnal-walk-');
  const root = dir.path;
  fs.writeFileSync(path.join(root, '.git'), 'gitdir: /elsewhere\n');
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 5; b++) {
      fs.mkdirSync(path.join(root, `a${a}`, `b${b}`), { recursive: true });
      fs.writeFileSync(path.join(root, `a${a}`, `b${b}`, 'f.ts'), 'x\n');
    }
  return root;
}

async function walk(root: string, settledMs: number) {
  const [listed, reused] = [nestedGitWalkStats.listed, nestedGitWalkStats.reused];
  const found = await findNestedGit(root, settledMs);
  return { found, listed: nestedGitWalkStats.listed - listed, reused: nestedGitWalkStats.reused - reused };
}

describe('findNestedGit', () => {
  it('lists a settled folder once, and again whenever its entries changed', async () => {
    const root = await tree();
    const folder = path.join(root, 'a1', 'b3');
    // A whole second, so the mtime can be put back exactly.
    const stamp = new Date(1_700_000_000_000);
    fs.utimesSync(folder, stamp, stamp);
    await sleep(120);
    // 1 top + 3 + 15 folders.
    expect(await walk(root, 100)).toEqual({ found: [], listed: 19, reused: 0 });
    expect(await walk(root, 100)).toEqual({ found: [], listed: 1, reused: 18 });

    // Planted two levels down, with the folder's mtime put back: its ctime still moved.
    fs.mkdirSync(path.join(folder, '.GIT'));
    fs.utimesSync(folder, stamp, stamp);
    expect(fs.statSync(folder, { bigint: true }).mtimeNs).toBe(1_700_000_000_000_000_000n);
    const planted = await walk(root, 100);
    expect(planted.found).toEqual(['a1/b3/.GIT']);
    // Reported on every walk, however long it has been there.
    await sleep(120);
    expect((await walk(root, 100)).found).toEqual(['a1/b3/.GIT']);
    fs.rmdirSync(path.join(folder, '.GIT'));

    // A folder renamed into place, a new folder holding one, a file named `.git` deep down.
    fs.mkdirSync(path.join(root, 'a2', 'b0', 'x'));
    fs.renameSync(path.join(root, 'a2', 'b0', 'x'), path.join(root, 'a2', 'b0', '.git'));
    fs.mkdirSync(path.join(root, 'a0', 'new', 'deeper'), { recursive: true });
    fs.writeFileSync(path.join(root, 'a0', 'new', 'deeper', '.git'), 'gitdir: /x\n');
    expect((await walk(root, 100)).found).toEqual(['a0/new/deeper/.git', 'a2/b0/.git']);
  });

  it('takes nothing from a kept listing for a folder changed within the settle time', async () => {
    const root = await tree();
    // Just made: every folder is listed on every walk.
    expect(await walk(root, 3000)).toEqual({ found: [], listed: 19, reused: 0 });
    expect(await walk(root, 3000)).toEqual({ found: [], listed: 19, reused: 0 });
    fs.writeFileSync(path.join(root, 'a0', 'b0', '.git'), 'gitdir: /x\n');
    expect((await walk(root, 3000)).found).toEqual(['a0/b0/.git']);
  });

  it('does not follow a link put where a folder was', async () => {
    const root = await tree();
    const outside = await createTempDir('nocturnal-walk-outside-');
    try {
      fs.mkdirSync(path.join(outside.path, '.git'));
      await sleep(120);
      await walk(root, 100);
      fs.rmSync(path.join(root, 'a1'), { recursive: true });
      fs.symlinkSync(outside.path, path.join(root, 'a1'));
      expect((await walk(root, 100)).found).toEqual([]);
    } finally {
      await outside.cleanup();
    }
  });
});
