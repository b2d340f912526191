import { execFileSync } from 'node:child_process';
import { access, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrateCommit } from './integrate';
import type { IntegrateParams } from './integrate';
import { listBackups } from './list-backups';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempDir, createTempRepo, openTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';
import { installTripwireHooks, makeAttemptCommit, makeStashEntry, makeUserBusy } from './testing/attempt-fixture';

const TARGET = 'nocturnal/integration';
const NOW = new Date('2025-06-01T02:00:00.000Z');

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let hookLog: string;

beforeEach(async () => {
  repo = await createTempRepo({
    files: { 'app.txt': 'alpha\nbeta\ngamma\n', 'lib.txt': 'lib\n', '.gitignore': '.env\n' },
  });
  home = await createTempDir('nocturnal-home-');
  hookLog = await installTripwireHooks(repo);
});
afterEach(async () => {
  try {
    // No hook of the user's may ever have run, whatever the test did.
    await expect(access(hookLog)).rejects.toThrow();
  } finally {
    await repo.cleanup();
    await home.cleanup();
  }
});

function params(overrides: Partial<IntegrateParams> & { sourceCommit: string }): IntegrateParams {
  return {
    repoPath: repo.path,
    targetBranch: TARGET,
    baseBranch: 'main',
    message: 'nocturnal: merge attempt',
    backupName: 'integration',
    now: NOW,
    ...overrides,
  };
}

const attempt = (branch: string, commits: Record<string, string | null>[], base = 'main') =>
  makeAttemptCommit({ repo, home: home.path, branch, commits, base });

describe('integrateCommit into a branch nobody has checked out', () => {
  it('creates the target from the base and fast-forwards it, never touching the busy user checkout', async () => {
    await makeUserBusy(repo);
    const base = await repo.git('rev-parse', 'main');
    const source = await attempt('nocturnal/t1/1', [{ 'app.txt': 'alpha\nBETA\ngamma\n' }, { 'new.txt': 'new\n' }]);
    const before = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await integrateCommit(params({ sourceCommit: source }));

    expect(result).toEqual({
      kind: 'merged',
      commit: source,
      previous: base,
      backupRef: 'refs/nocturnal/backups/integration/20250601T020000000Z',
      fastForward: true,
      createdTarget: true,
      worktree: null,
    });
    expect(await repo.git('rev-parse', TARGET)).toBe(source);
    expect(await repo.git('rev-parse', 'refs/nocturnal/backups/integration/20250601T020000000Z')).toBe(base);
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(before);
  });

  it('makes a true merge commit in the object database when the target has moved on', async () => {
    await repo.git('branch', TARGET, 'main');
    const other = await attempt('nocturnal/t0/1', [{ 'lib.txt': 'lib v2\n' }]);
    const first = await integrateCommit(params({ sourceCommit: other }));
    expect(first).toMatchObject({ kind: 'merged', fastForward: true, createdTarget: false });
    const source = await attempt('nocturnal/t1/1', [{ 'app.txt': 'alpha\nBETA\ngamma\n' }]);
    await makeUserBusy(repo);
    const before = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await integrateCommit(params({ sourceCommit: source, now: new Date('2025-06-01T03:00:00Z') }));

    expect(result).toMatchObject({
      kind: 'merged',
      previous: other,
      fastForward: false,
      createdTarget: false,
      worktree: null,
    });
    if (result.kind !== 'merged') return;
    expect(await repo.git('rev-parse', TARGET)).toBe(result.commit);
    expect(await repo.git('log', '-1', '--format=%P|%s|%an', result.commit)).toBe(
      `${other} ${source}|nocturnal: merge attempt|Nocturnal Agent`,
    );
    expect(await repo.git('show', `${result.commit}:lib.txt`)).toBe('lib v2');
    expect(await repo.git('show', `${result.commit}:app.txt`)).toBe('alpha\nBETA\ngamma');
    expect(await repo.git('rev-parse', result.backupRef)).toBe(other);
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(before);
  });

  it('reports a real conflict and moves nothing', async () => {
    await repo.git('branch', TARGET, 'main');
    const theirs = await attempt('nocturnal/t0/1', [{ 'app.txt': 'alpha\nBeta from t0\ngamma\n' }]);
    await integrateCommit(params({ sourceCommit: theirs }));
    const backupsBefore = await listBackups(repo.path);
    const source = await attempt('nocturnal/t1/1', [{ 'app.txt': 'alpha\nBeta from t1\ngamma\n' }]);
    await makeUserBusy(repo);
    const before = await snapshotCheckout(repo.path);

    const result = await integrateCommit(params({ sourceCommit: source }));

    expect(result).toMatchObject({ kind: 'conflict', paths: ['app.txt'], createdTarget: false });
    expect(await repo.git('rev-parse', TARGET)).toBe(theirs);
    expect(await listBackups(repo.path)).toEqual(backupsBefore);
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('answers already-merged when the target contains the source', async () => {
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'x\n' }]);
    await integrateCommit(params({ sourceCommit: source }));
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ sourceCommit: source }))).toEqual({
      kind: 'already-merged',
      tip: source,
      createdTarget: false,
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('loses a race without overwriting the other writer, and backs up before moving', async () => {
    await repo.git('branch', TARGET, 'main');
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'x\n' }]);
    // A concurrent commit on the target lands just before our compare-and-swap.
    const racer = await attempt('nocturnal/racer/1', [{ 'racer.txt': 'r\n' }]);
    const order: string[] = [];
    const policy = (argv: readonly string[]) => {
      const i = argv.indexOf('update-ref');
      if (i === -1) return;
      const ref = argv.slice(i).find((a) => a.startsWith('refs/')) ?? '';
      order.push(ref);
      if (ref === `refs/heads/${TARGET}`) {
        execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'update-ref', `refs/heads/${TARGET}`, racer], {
          cwd: repo.path,
        });
      }
    };
    const before = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await integrateCommit(params({ sourceCommit: source, policy }));

    expect(result).toEqual({ kind: 'raced', actual: racer });
    expect(await repo.git('rev-parse', TARGET)).toBe(racer);
    expect(order).toEqual(['refs/nocturnal/backups/integration/20250601T020000000Z', `refs/heads/${TARGET}`]);
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(before);
  });

  it('backs up before every ref move, in order', async () => {
    await repo.git('branch', TARGET, 'main');
    const one = await attempt('nocturnal/a/1', [{ 'a.txt': 'a\n' }]);
    const two = await attempt('nocturnal/b/1', [{ 'b.txt': 'b\n' }]);
    const moves: string[] = [];
    const policy = (argv: readonly string[]) => {
      const i = argv.indexOf('update-ref');
      if (i !== -1) moves.push(argv.slice(i).find((a) => a.startsWith('refs/')) ?? '');
    };
    await integrateCommit(params({ sourceCommit: one, policy, now: new Date('2025-06-01T02:00:00Z') }));
    await integrateCommit(params({ sourceCommit: two, policy, now: new Date('2025-06-01T02:30:00Z') }));
    expect(moves).toEqual([
      'refs/nocturnal/backups/integration/20250601T020000000Z',
      `refs/heads/${TARGET}`,
      'refs/nocturnal/backups/integration/20250601T023000000Z',
      `refs/heads/${TARGET}`,
    ]);
  });
});

describe('integrateCommit into a branch the user has checked out', () => {
  it('fast-forwards a clean checkout with merge --ff-only, keeping the stash and running no hooks', async () => {
    await makeStashEntry(repo);
    const previous = await repo.git('rev-parse', 'main');
    const source = await attempt('nocturnal/t1/1', [{ 'app.txt': 'alpha\nBETA\ngamma\n', 'new.txt': 'new\n' }]);
    const stashBefore = await repo.git('stash', 'list');

    const result = await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }));

    expect(result).toEqual({
      kind: 'merged',
      commit: source,
      previous,
      backupRef: 'refs/nocturnal/backups/integration/20250601T020000000Z',
      fastForward: true,
      createdTarget: false,
      worktree: repo.path,
    });
    expect(await repo.git('rev-parse', 'HEAD')).toBe(source);
    expect(await repo.git('symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    expect(await readFile(path.join(repo.path, 'new.txt'), 'utf8')).toBe('new\n');
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(await repo.git('stash', 'list')).toBe(stashBefore);
    expect(await repo.git('rev-parse', result.kind === 'merged' ? result.backupRef : '')).toBe(previous);
  });

  it('holds when the checkout is dirty, changing nothing at all', async () => {
    await makeUserBusy(repo);
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    const before = await snapshotCheckout(repo.path);

    const result = await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }));

    expect(result).toMatchObject({ kind: 'held', reason: 'dirty-worktree', worktree: repo.path, createdTarget: false });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
    expect(await listBackups(repo.path)).toEqual([]);
  });

  it('holds when only an untracked file makes the checkout dirty', async () => {
    await repo.write({ 'scratch.txt': 'mine\n' });
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'dirty-worktree',
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('holds when the change is not a fast-forward of the checked-out branch', async () => {
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    await repo.commit({ 'lib.txt': 'user moved on\n' }, 'user commit');
    await makeStashEntry(repo);
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'not-fast-forward',
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('holds when an incoming file would overwrite an ignored file of the user', async () => {
    await repo.write({ '.env': 'SECRET=user\n' });
    const source = await attempt('nocturnal/t1/1', [{ '.env': 'SECRET=model\n', '.gitignore': '' }]);
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'would-overwrite-ignored',
    });
    expect(await readFile(path.join(repo.path, '.env'), 'utf8')).toBe('SECRET=user\n');
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('holds while a merge is in progress in the checkout', async () => {
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    await repo.git('checkout', '--quiet', '-b', 'side');
    await repo.commit({ 'side.txt': 's\n' });
    await repo.git('checkout', '--quiet', 'main');
    // `-s ours` leaves files and index as they are: only MERGE_HEAD says the merge is unfinished.
    await repo.git('merge', '--no-commit', '-s', 'ours', 'side');
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ targetBranch: 'main', sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'operation-in-progress',
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('fast-forwards the user’s clean linked worktree and leaves the busy main checkout alone', async () => {
    const userWorktree = path.join(home.path, 'user-wt');
    await repo.git('worktree', 'add', '--quiet', userWorktree, '-b', TARGET);
    await makeUserBusy(repo);
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    const mainBefore = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await integrateCommit(params({ sourceCommit: source }));

    expect(result).toMatchObject({ kind: 'merged', fastForward: true, worktree: userWorktree });
    expect(await openTempRepo(userWorktree).git('rev-parse', 'HEAD')).toBe(source);
    expect(await readFile(path.join(userWorktree, 'new.txt'), 'utf8')).toBe('new\n');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(mainBefore);
  });

  it('holds when the target is checked out in a worktree whose directory is missing', async () => {
    const userWorktree = path.join(home.path, 'on-usb-stick');
    await repo.git('worktree', 'add', '--quiet', userWorktree, '-b', TARGET);
    await rm(userWorktree, { recursive: true });
    const tip = await repo.git('rev-parse', TARGET);
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    expect(await integrateCommit(params({ sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'worktree-missing',
      worktree: userWorktree,
    });
    expect(await repo.git('rev-parse', TARGET)).toBe(tip);
  });

  it('holds instead of creating a target that is checked out unborn', async () => {
    await repo.git('checkout', '--quiet', '--orphan', TARGET);
    const source = await attempt('nocturnal/t1/1', [{ 'new.txt': 'new\n' }]);
    const before = await snapshotCheckout(repo.path);
    expect(await integrateCommit(params({ sourceCommit: source }))).toMatchObject({
      kind: 'held',
      reason: 'unborn-checkout',
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });
});
