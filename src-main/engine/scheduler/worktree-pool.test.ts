// The session's worktree pool on real repositories: a reused worktree holds exactly the new start
// commit's tree on a new branch with nothing left of the previous attempt, and a released worktree
// that something tampered with is removed instead of reused, with the user's checkout untouched.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src-shared/domain/records';
import { deleteBranch } from '../git/branch-delete';
import type { EngineWorktree } from '../git/engine-worktree';
import { listWorktrees } from '../git/list-worktrees';
import { runGit } from '../git/run-git';
import type { GitCallOptions } from '../git/run-git';
import { snapshotCheckout } from '../git/testing/checkout-snapshot';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { silentLogger } from '../log/logger';
import { createGitCommandPolicy } from '../safety/git-command-policy';
import { WorktreePool } from './worktree-pool';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Setup {
  repo: TempRepo;
  root: string;
  pool: WorktreePool;
  workspace: Workspace;
  /** First commit: a.txt, gone.txt, src/keep.js, .gitignore (build/). */
  first: string;
  /** Second commit: a.txt changed, gone.txt deleted, src/new.js added. */
  second: string;
}

async function setUp(size = 1, git: GitCallOptions = {}): Promise<Setup> {
  const repo = await createTempRepo({
    files: { 'a.txt': 'one\n', 'gone.txt': 'bye\n', 'src/keep.js': 'keep\n', '.gitignore': 'build/\n' },
  });
  const home = await createTempDir('nocturnal-pool-');
  cleanups.push(repo.cleanup, home.cleanup);
  const first = await repo.git('rev-parse', 'HEAD');
  const second = await repo.commit({ 'a.txt': 'two\n', 'gone.txt': null, 'src/new.js': 'new\n' }, 'second');
  // The user's own state, which no pool operation may change.
  await repo.write({ 'scratch.txt': 'mine\n' });
  const root = path.join(home.path, 'worktrees');
  await mkdir(root);
  const workspace: Workspace = {
    id: 'ws1',
    name: 'calc',
    path: repo.path,
    baseBranch: 'main',
    targetBranch: 'nocturnal/integration',
    checks: {},
    setupCommand: null,
    setupStatus: null,
    startFrom: 'target',
    createdAt: new Date().toISOString(),
  };
  const pool = new WorktreePool({ git, ownedRoot: root, size, log: silentLogger() });
  return { repo, root, pool, workspace, first, second };
}

async function acquire(
  s: Setup,
  branch: string,
  start: string,
): Promise<{ worktree: EngineWorktree; reused: boolean }> {
  const got = await s.pool.acquire(s.workspace, branch, start);
  if (got.kind !== 'ready') throw new Error(`acquire: ${got.kind}`);
  return got;
}

/** What an attempt does in its worktree: edits a tracked file, commits on its branch, leaves debris. */
async function workIn(worktree: EngineWorktree): Promise<string> {
  const pinned = pinnedTo(worktree);
  await writeFile(path.join(worktree.path, 'a.txt'), 'edited by the attempt\n');
  await runGit(worktree.path, ['add', '--', 'a.txt'], pinned);
  await runGit(worktree.path, ['commit', '-q', '-m', 'attempt'], pinned);
  // Untracked, ignored and nested leftovers of its checks.
  await mkdir(path.join(worktree.path, 'build', 'deep'), { recursive: true });
  await writeFile(path.join(worktree.path, 'build', 'deep', 'out.o'), 'binary\n');
  await writeFile(path.join(worktree.path, 'stray.log'), 'log\n');
  await mkdir(path.join(worktree.path, 'src', 'tmp'));
  await writeFile(path.join(worktree.path, 'src', 'tmp', 'x'), 'x\n');
  return (await runGit(worktree.path, ['rev-parse', 'HEAD'], pinned)).stdout.trim();
}

/** The user's checkout as the pool must leave it (attempt branches aside, which the pool creates). */
/** Git calls pinned to the worktree's recorded directories, as the engine makes them. */
function pinnedTo(worktree: EngineWorktree) {
  return {
    pinned: { gitDir: worktree.gitDir, commonDir: worktree.commonDir, workTree: worktree.path, config: [] },
  };
}

/** Everything git sees in the worktree: changes, untracked and ignored files (empty when it is clean). */
async function statusOf(worktree: EngineWorktree): Promise<string> {
  return (
    await runGit(worktree.path, ['status', '--porcelain', '--ignored', '--untracked-files=all'], pinnedTo(worktree))
  ).stdout;
}

async function userView(repo: TempRepo) {
  const snapshot = await snapshotCheckout(repo.path);
  snapshot.branches = Object.fromEntries(
    Object.entries(snapshot.branches).filter(([ref]) => !ref.startsWith('refs/heads/nocturnal/')),
  );
  return snapshot;
}

/** Every file under the worktree (its `.git` file aside) → content. */
async function filesOnDisk(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const relative = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (relative === '.git') continue;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), relative);
      else out[relative] = await readFile(path.join(dir, entry.name), 'utf8');
    }
  };
  await walk(root, '');
  return out;
}

async function treeAt(repo: TempRepo, commit: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of (await repo.git('ls-tree', '-r', '--name-only', commit)).split('\n'))
    out[file] = await repo.git('show', `${commit}:${file}`).then((t) => `${t}\n`);
  return out;
}

describe('WorktreePool', () => {
  it('resets a released worktree to the new start commit on a new branch, with nothing left of the last attempt', async () => {
    const s = await setUp();
    const user = await userView(s.repo);
    const one = await acquire(s, 'nocturnal/t1/1', s.first);
    expect(one.reused).toBe(false);
    const head = await workIn(one.worktree);
    expect(await s.pool.release(one.worktree, head)).toBe('pooled');
    // Released: detached, so the attempt's branch is checked out nowhere and can be deleted.
    expect((await listWorktrees(s.repo.path)).find((w) => w.path === one.worktree.path)?.branch ?? null).toBeNull();

    const two = await acquire(s, 'nocturnal/t2/1', s.second);
    expect(two.reused).toBe(true);
    expect(two.worktree.path).toBe(one.worktree.path);
    expect(two.worktree.branch).toBe('nocturnal/t2/1');
    expect(await filesOnDisk(two.worktree.path)).toEqual(await treeAt(s.repo, s.second));
    expect(await s.repo.git('rev-parse', 'refs/heads/nocturnal/t2/1')).toBe(s.second);
    expect(await readFile(path.join(two.worktree.gitDir, 'HEAD'), 'utf8')).toBe('ref: refs/heads/nocturnal/t2/1\n');
    expect((await listWorktrees(s.repo.path)).find((w) => w.path === two.worktree.path)?.branch).toBe('nocturnal/t2/1');
    expect(await statusOf(two.worktree)).toBe('');
    // The previous attempt's branch is untouched and, no longer checked out, deletable as usual.
    expect(await s.repo.git('rev-parse', 'refs/heads/nocturnal/t1/1')).toBe(head);
    expect((await deleteBranch({ repoPath: s.repo.path, branch: 'nocturnal/t1/1' })).kind).toBe('deleted');
    expect(await userView(s.repo)).toEqual(user);
  });

  it('never takes over an existing branch', async () => {
    const s = await setUp();
    const one = await acquire(s, 'nocturnal/t1/1', s.first);
    await s.pool.release(one.worktree, await workIn(one.worktree));
    await s.repo.git('branch', 'nocturnal/taken/1', s.first);
    expect((await s.pool.acquire(s.workspace, 'nocturnal/taken/1', s.second)).kind).toBe('branch-exists');
    expect(await s.repo.git('rev-parse', 'refs/heads/nocturnal/taken/1')).toBe(s.first);
  });

  const plantings: [string, (w: EngineWorktree, repo: TempRepo) => Promise<void>][] = [
    [
      'a rewritten .git file',
      (w, repo) => writeFile(path.join(w.path, '.git'), `gitdir: ${path.join(repo.path, '.git')}\n`),
    ],
    [
      'a hook in the admin folder',
      async (w) => {
        await mkdir(path.join(w.gitDir, 'hooks'), { recursive: true });
        await writeFile(
          path.join(w.gitDir, 'hooks', 'post-checkout'),
          '#!/bin/sh\ntouch /tmp/nocturnal-pool-hook-ran\n',
          { mode: 0o755 },
        );
      },
    ],
    [
      'a config.worktree',
      (w) => writeFile(path.join(w.gitDir, 'config.worktree'), '[core]\n\tfsmonitor = /tmp/evil\n'),
    ],
    [
      'a planted nested git dir',
      async (w) => {
        await mkdir(path.join(w.path, 'src', '.git'), { recursive: true });
        await writeFile(path.join(w.path, 'src', '.git', 'HEAD'), 'ref: refs/heads/main\n');
      },
    ],
    [
      'a tracked file changed after the last commit',
      (w) => writeFile(path.join(w.path, 'src', 'keep.js'), 'changed by a check\n'),
    ],
  ];

  for (const [what, plant] of plantings) {
    it(`discards a released worktree with ${what} and makes a fresh one, leaving the user's repository untouched`, async () => {
      const s = await setUp();
      const one = await acquire(s, 'nocturnal/t1/1', s.first);
      const head = await workIn(one.worktree);
      await s.pool.release(one.worktree, head);
      const user = await userView(s.repo);
      await plant(one.worktree, s.repo);

      const two = await acquire(s, 'nocturnal/t2/1', s.second);
      expect(two.reused).toBe(false);
      expect(two.worktree.path).not.toBe(one.worktree.path);
      expect(await filesOnDisk(two.worktree.path)).toEqual(await treeAt(s.repo, s.second));
      const registered = (await listWorktrees(s.repo.path)).map((w) => w.path);
      expect(registered).not.toContain(one.worktree.path);
      expect(registered).toContain(two.worktree.path);
      expect(await readdir(path.join(s.root, s.workspace.id))).toEqual([path.basename(two.worktree.path)]);
      expect(await userView(s.repo)).toEqual(user);
    });
  }

  it('restores what a check changed when the attempt left its restore to the pool, and reuses the worktree', async () => {
    // Under the engine's command policy: every git command of the restore and the refresh is allowed.
    const s = await setUp(1, { policy: createGitCommandPolicy([]) });
    const one = await acquire(s, 'nocturnal/t1/1', s.first);
    const head = await workIn(one.worktree);
    // The attempt's last check rewrote tracked files (one the next start commit changes, one it
    // keeps), deleted one and left new ones; the attempt ended right after it, unrestored.
    await writeFile(path.join(one.worktree.path, 'a.txt'), 'changed by a check\n');
    await writeFile(path.join(one.worktree.path, 'src', 'keep.js'), 'changed by a check\n');
    await rm(path.join(one.worktree.path, 'gone.txt'));
    await writeFile(path.join(one.worktree.path, 'src', 'made-by-check.js'), 'new\n');
    expect(await s.pool.release(one.worktree, head, { checkedSinceRestore: true })).toBe('pooled');
    const user = await userView(s.repo);

    const two = await acquire(s, 'nocturnal/t2/1', s.second);
    // Reused (on the old code a tracked change always discarded it), holding exactly the new start.
    expect(two.reused).toBe(true);
    expect(two.worktree.path).toBe(one.worktree.path);
    expect(await filesOnDisk(two.worktree.path)).toEqual(await treeAt(s.repo, s.second));
    expect(await statusOf(two.worktree)).toBe('');
    expect(await userView(s.repo)).toEqual(user);

    // The flag is the released attempt's alone: the next release without it discards on a change.
    await s.pool.release(two.worktree, s.second);
    await writeFile(path.join(two.worktree.path, 'src', 'keep.js'), 'changed mid-edit\n');
    const three = await acquire(s, 'nocturnal/t3/1', s.second);
    expect(three.reused).toBe(false);
    // The discarded reset had created the branch beside the file reset and took it back: the fresh
    // worktree could make it.
    expect(await s.repo.git('rev-parse', 'refs/heads/nocturnal/t3/1')).toBe(s.second);
    expect((await listWorktrees(s.repo.path)).find((w) => w.path === three.worktree.path)?.branch).toBe(
      'nocturnal/t3/1',
    );
  });

  it('keeps at most its size per workspace and removes everything when drained', async () => {
    const s = await setUp(1);
    const one = await acquire(s, 'nocturnal/t1/1', s.first);
    const two = await acquire(s, 'nocturnal/t2/1', s.first);
    expect(await s.pool.release(one.worktree, s.first)).toBe('pooled');
    expect(await s.pool.release(two.worktree, s.first)).toBe('removed');
    expect(s.pool.idleCount(s.workspace.id)).toBe(1);
    await s.pool.drain();
    expect(s.pool.idleCount(s.workspace.id)).toBe(0);
    expect((await listWorktrees(s.repo.path)).filter((w) => !w.isMain)).toEqual([]);
    expect(await readdir(path.join(s.root, s.workspace.id))).toEqual([]);
  });

  it('keeps every worktree that parallel attempts release at the same moment, and drains them all', async () => {
    const s = await setUp(3);
    const taken = await Promise.all([1, 2, 3].map((n) => acquire(s, `nocturnal/t1/${n}`, s.first)));
    const four = await acquire(s, 'nocturnal/t1/4', s.first);
    // Released together, as a task's parallel attempts end: three fit the pool, the fourth is removed.
    const outcomes = await Promise.all([...taken, four].map((got) => s.pool.release(got.worktree, s.first)));
    expect(outcomes.filter((o) => o === 'pooled')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'removed')).toHaveLength(1);
    expect(s.pool.idleCount(s.workspace.id)).toBe(3);
    await s.pool.drain();
    expect((await listWorktrees(s.repo.path)).filter((w) => !w.isMain)).toEqual([]);
    expect(await readdir(path.join(s.root, s.workspace.id))).toEqual([]);
  });
});
