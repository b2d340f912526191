import { execFileSync } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { integrateCommit } from './integrate';
import { undoIntegration } from './undo-integration';
import type { UndoIntegrationParams } from './undo-integration';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';
import { installTripwireHooks, makeAttemptCommit, makeStashEntry, makeUserBusy } from './testing/attempt-fixture';

const TARGET = 'nocturnal/integration';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let hookLog: string;
let clock: number;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'app.txt': 'alpha\nbeta\ngamma\n', 'lib.txt': 'one\ntwo\nthree\n' } });
  home = await createTempDir('nocturnal-home-');
  hookLog = await installTripwireHooks(repo);
  clock = Date.parse('2025-06-01T02:00:00Z');
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

const tick = () => new Date((clock += 60_000));

const attempt = (branch: string, commits: Record<string, string | null>[], base = 'main') =>
  makeAttemptCommit({ repo, home: home.path, branch, commits, base });

async function integrate(sourceCommit: string, targetBranch = TARGET) {
  const result = await integrateCommit({
    repoPath: repo.path,
    targetBranch,
    baseBranch: 'main',
    sourceCommit,
    message: 'nocturnal: merge',
    backupName: 'integration',
    now: tick(),
  });
  if (result.kind !== 'merged') throw new Error(`expected a merge, got ${result.kind}`);
  return result;
}

function undoParams(
  merged: { commit: string; backupRef: string },
  overrides: Partial<UndoIntegrationParams> = {},
): UndoIntegrationParams {
  return {
    repoPath: repo.path,
    targetBranch: TARGET,
    mergedCommit: merged.commit,
    backupRef: merged.backupRef,
    backupName: 'undo',
    now: tick(),
    ...overrides,
  };
}

describe('undoIntegration of a branch nobody has checked out', () => {
  it('rewinds the target right after a merge, backing up the merged tip first', async () => {
    await repo.git('branch', TARGET, 'main');
    await integrate(await attempt('nocturnal/a/1', [{ 'lib.txt': 'ONE\ntwo\nthree\n' }]));
    const merged = await integrate(await attempt('nocturnal/b/1', [{ 'app.txt': 'alpha\nbeta\nGAMMA\n' }]));
    expect(merged.fastForward).toBe(false);
    await makeUserBusy(repo);
    const before = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await undoIntegration(undoParams(merged));

    expect(result).toMatchObject({ kind: 'rewound', from: merged.commit, to: merged.previous });
    expect(await repo.git('rev-parse', TARGET)).toBe(merged.previous);
    if (result.kind === 'rewound') expect(await repo.git('rev-parse', result.backupRef)).toBe(merged.commit);
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(before);
    // Undoing again finds nothing to do.
    expect(await undoIntegration(undoParams(merged))).toEqual({ kind: 'already-undone', tip: merged.previous });
  });

  it('rewinds a fast-forward of several commits in one step', async () => {
    const base = await repo.git('rev-parse', 'main');
    const merged = await integrate(await attempt('nocturnal/a/1', [{ 'x.txt': '1\n' }, { 'y.txt': '2\n' }]));
    expect(merged).toMatchObject({ fastForward: true, createdTarget: true, previous: base });
    expect(await undoIntegration(undoParams(merged))).toMatchObject({ kind: 'rewound', to: base });
    expect(await repo.git('rev-parse', TARGET)).toBe(base);
  });

  it('reverts with a new commit, built without a working tree, when more work landed on top', async () => {
    await repo.git('branch', TARGET, 'main');
    const first = await integrate(
      await attempt('nocturnal/a/1', [
        { 'app.txt': 'alpha\nBETA\ngamma\n', 'added.txt': 'added\n' },
        { 'app.txt': 'ALPHA\nBETA\ngamma\n' },
      ]),
    );
    const second = await integrate(await attempt('nocturnal/b/1', [{ 'lib.txt': 'one\ntwo\nTHREE\n' }]));
    expect(second.fastForward).toBe(false);
    await makeUserBusy(repo);
    const before = await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] });

    const result = await undoIntegration(undoParams(first));

    expect(result).toMatchObject({ kind: 'reverted', previous: second.commit, worktree: null });
    if (result.kind !== 'reverted') return;
    expect(await repo.git('rev-parse', TARGET)).toBe(result.commit);
    expect(await repo.git('log', '-1', '--format=%P|%an|%s', result.commit)).toBe(
      `${second.commit}|Nocturnal Agent|Revert nocturnal integration ${first.commit.slice(0, 12)}`,
    );
    // The first integration is gone, the second one stays.
    expect(await repo.git('show', `${result.commit}:app.txt`)).toBe('alpha\nbeta\ngamma');
    expect(await repo.git('ls-tree', '--name-only', result.commit)).not.toContain('added.txt');
    expect(await repo.git('show', `${result.commit}:lib.txt`)).toBe('one\ntwo\nTHREE');
    expect(await repo.git('rev-parse', result.backupRef)).toBe(second.commit);
    expect(await snapshotCheckout(repo.path, { ignoreBranches: [TARGET] })).toEqual(before);
    // A second undo has nothing left to revert.
    expect(await undoIntegration(undoParams(first))).toEqual({ kind: 'already-undone', tip: result.commit });
  });

  it('reports a conflict when later work changed the same lines, and moves nothing', async () => {
    await repo.git('branch', TARGET, 'main');
    const first = await integrate(await attempt('nocturnal/a/1', [{ 'app.txt': 'alpha\nBETA\ngamma\n' }]));
    // Built on top of the first integration, changing the very line it changed.
    const second = await integrate(await attempt('nocturnal/b/1', [{ 'app.txt': 'alpha\nBETA!\ngamma\n' }], TARGET));
    const before = await snapshotCheckout(repo.path);
    expect(await undoIntegration(undoParams(first))).toMatchObject({ kind: 'conflict', paths: ['app.txt'] });
    expect(await repo.git('rev-parse', TARGET)).toBe(second.commit);
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('loses a race without overwriting the other writer', async () => {
    const merged = await integrate(await attempt('nocturnal/a/1', [{ 'x.txt': '1\n' }]));
    const racer = await attempt('nocturnal/r/1', [{ 'r.txt': 'r\n' }]);
    const policy = (argv: readonly string[]) => {
      if (argv.includes('update-ref') && argv.includes(`refs/heads/${TARGET}`)) {
        execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'update-ref', `refs/heads/${TARGET}`, racer], {
          cwd: repo.path,
        });
      }
    };
    expect(await undoIntegration(undoParams(merged, { policy }))).toEqual({ kind: 'raced', actual: racer });
    expect(await repo.git('rev-parse', TARGET)).toBe(racer);
  });

  it('says why it cannot undo', async () => {
    const merged = await integrate(await attempt('nocturnal/a/1', [{ 'x.txt': '1\n' }]));
    expect(
      await undoIntegration(undoParams(merged, { backupRef: 'refs/nocturnal/backups/integration/none' })),
    ).toMatchObject({ kind: 'not-undoable', reason: 'backup-missing' });
    expect(await undoIntegration(undoParams(merged, { targetBranch: 'gone' }))).toMatchObject({
      kind: 'not-undoable',
      reason: 'target-missing',
    });
    const unrelated = await attempt('nocturnal/u/1', [{ 'u.txt': 'u\n' }]);
    expect(await undoIntegration(undoParams({ commit: unrelated, backupRef: merged.backupRef }))).toMatchObject({
      kind: 'not-undoable',
      reason: 'merged-commit-not-on-target',
    });
    await expect(undoIntegration(undoParams(merged, { backupRef: 'refs/heads/main' }))).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});

describe('undoIntegration of a branch the user has checked out', () => {
  it('never rewinds a checked-out branch: reverts and fast-forwards the clean checkout instead', async () => {
    await makeStashEntry(repo);
    const previous = await repo.git('rev-parse', 'main');
    const merged = await integrate(
      await attempt('nocturnal/a/1', [{ 'new.txt': 'new\n', 'app.txt': 'alpha\nBETA\ngamma\n' }]),
      'main',
    );
    expect(merged.worktree).toBe(repo.path);
    const stash = await repo.git('stash', 'list');

    const result = await undoIntegration(undoParams(merged, { targetBranch: 'main' }));

    expect(result).toMatchObject({ kind: 'reverted', previous: merged.commit, worktree: repo.path });
    if (result.kind !== 'reverted') return;
    expect(await repo.git('rev-parse', 'HEAD')).toBe(result.commit);
    expect(await repo.git('rev-parse', `${result.commit}^{tree}`)).toBe(
      await repo.git('rev-parse', `${previous}^{tree}`),
    );
    expect(await readFile(path.join(repo.path, 'app.txt'), 'utf8')).toBe('alpha\nbeta\ngamma\n');
    await expect(access(path.join(repo.path, 'new.txt'))).rejects.toThrow();
    expect(await repo.git('status', '--porcelain')).toBe('');
    expect(await repo.git('stash', 'list')).toBe(stash);
  });

  it('holds when the checkout is dirty, changing nothing', async () => {
    const merged = await integrate(await attempt('nocturnal/a/1', [{ 'new.txt': 'new\n' }]), 'main');
    await makeUserBusy(repo);
    const before = await snapshotCheckout(repo.path);
    expect(await undoIntegration(undoParams(merged, { targetBranch: 'main' }))).toMatchObject({
      kind: 'held',
      reason: 'dirty-worktree',
      worktree: repo.path,
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });
});
