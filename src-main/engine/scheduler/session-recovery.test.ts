// A session killed mid-attempt (power loss, kill -9) must not leave a task stuck in `running`, a
// stale worktree or a session that claims to still run.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { addWorktree } from '../git/worktree-add';
import { listWorktrees } from '../git/list-worktrees';
import { openTempRepo } from '../git/testing/temp-repo';
import { landAttempt } from '../integration/land-attempt';
import { scriptedSampler } from '../safety/resources/scripted-sampler';
import { silentLogger } from '../log/logger';
import { WorktreePool } from './worktree-pool';

/** What the test opened (openEngine), closed after it. */
const opened: { engine?: Engine; repo?: TempRepo; home?: { path: string; cleanup(): Promise<void> } } = {};
afterEach(async () => {
  await opened.engine?.stop();
  await opened.repo?.cleanup();
  await opened.home?.cleanup();
  delete opened.engine;
  delete opened.repo;
  delete opened.home;
});

/**
 * A fresh repository holding `files` and an engine on a fresh home, both closed after the test. The
 * engine's model server does not answer: recovery asks it nothing.
 */
async function openEngine(
  files: Record<string, string> = { 'a.txt': 'a\n' },
): Promise<{ engine: Engine; repo: TempRepo }> {
  opened.repo = await createTempRepo({ files });
  opened.home = await createTempDir('nocturnal-home-');
  const config = {
    ...defaultConfig(),
    llm: { ...defaultConfig().llm, provider: 'openai' as const, api_url: 'http://127.0.0.1:9/v1' },
  };
  opened.engine = createEngine({ home: opened.home.path, config, env: {}, resourceSampler: scriptedSampler() });
  return { engine: opened.engine, repo: opened.repo };
}

describe('session recovery', () => {
  it('removes the worktree pool a killed session left, idle and busy worktrees alike, and deletes no branch', async () => {
    const { engine, repo } = await openEngine();
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    const start = await repo.git('rev-parse', 'HEAD');

    // The killed process's pool: one worktree released (detached, waiting), one still in use.
    const pool = new WorktreePool({ git: {}, ownedRoot: engine.paths.worktrees, size: 2, log: silentLogger() });
    const idle = await pool.acquire(workspace, 'nocturnal/t1/1', start);
    const busy = await pool.acquire(workspace, 'nocturnal/t2/1', start);
    if (idle.kind !== 'ready' || busy.kind !== 'ready') throw new Error('the pool made no worktree');
    expect(await pool.release(idle.worktree, start)).toBe('pooled');
    expect((await listWorktrees(repo.path)).filter((w) => !w.isMain)).toHaveLength(2);

    const recovered = await engine.recoverInterrupted();
    expect(recovered.attempts).toEqual([]);
    expect((await listWorktrees(repo.path)).filter((w) => !w.isMain)).toEqual([]);
    expect(fs.existsSync(idle.worktree.path)).toBe(false);
    expect(fs.existsSync(busy.worktree.path)).toBe(false);
    expect(fs.readdirSync(path.join(engine.paths.worktrees, workspace.id))).toEqual([]);
    // The branches are the attempts' records, not the pool's: they stay.
    expect(await repo.git('branch', '--list', 'nocturnal/*', '--format=%(refname:short)')).toBe(
      'nocturnal/t1/1\nnocturnal/t2/1',
    );
  });

  it('removes every worktree a killed session left, one locked by a `worktree add` cut short included', async () => {
    const { engine, repo } = await openEngine();
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    const folder = path.join(engine.paths.worktrees, workspace.id);
    const paths = [path.join(folder, 'pool-a'), path.join(folder, 'pool-b')];
    for (const [i, worktreePath] of paths.entries())
      await addWorktree({
        repoPath: repo.path,
        worktreePath,
        ownedRoot: engine.paths.worktrees,
        branch: `nocturnal/t${i}/1`,
        base: 'main',
      });
    // The kill came while git was adding the first: its lock is still there.
    await repo.git('worktree', 'lock', '--reason', 'initializing', paths[0] ?? '');

    await engine.recoverInterrupted();
    expect((await listWorktrees(repo.path)).filter((w) => !w.isMain)).toEqual([]);
    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('marks a crashed attempt interrupted, removes its worktree and requeues its task', async () => {
    const { engine, repo } = await openEngine();
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    const task = engine.tasks.add({ workspace: workspace.name, title: 'x' });

    // What a crash leaves behind: a running session, a running attempt with its worktree.
    const now = new Date();
    const crashed = engine.store.sessions.start({ trigger: 'manual', settings: {} }, now);
    engine.store.tasks.transition(task.id, 'running', now);
    const attempt = engine.store.attempts.start(
      { taskId: task.id, sessionId: crashed.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    const worktree = path.join(engine.paths.worktrees, workspace.id, attempt.id);
    expect(
      (
        await addWorktree({
          repoPath: repo.path,
          worktreePath: worktree,
          ownedRoot: engine.paths.worktrees,
          branch: attempt.branch,
          base: 'main',
        })
      ).kind,
    ).toBe('created');
    engine.store.attempts.update(attempt.id, { worktreePath: worktree });

    // The next session recovers, then works the requeued task (it fails: no model server there).
    const session = await engine.runSession({ trigger: 'manual', maxTasks: 1 });
    expect(engine.store.sessions.get(crashed.id)?.status).toBe('stopped');
    expect(engine.store.attempts.get(attempt.id)?.status).toBe('interrupted');
    expect(fs.existsSync(worktree)).toBe(false);
    const after = engine.tasks.show(task.id);
    expect(after.attempts.map((a) => a.status)).toEqual(['interrupted', 'failed']);
    expect(after.attempts[1]?.reasons.join()).toMatch(/127\.0\.0\.1:9|connect|reach/i);
    expect(session.status).toBe('completed');
  });

  it('records an attempt whose merge landed before the crash as merged, and never runs or merges it again', async () => {
    const { engine: e, repo: r } = await openEngine({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const workspace = await e.workspaces.add({ path: r.path, checks: { test: 'true' } });
    const crashed = e.store.sessions.start({ trigger: 'manual', settings: {} }, new Date());
    const base = await r.git('rev-parse', 'main');

    // Two attempts that each committed their change and got as far as moving the target ref (the
    // first by fast-forward, the second by a real merge commit), then the process died before the
    // store recorded either as merged: exactly what AttemptRunner.land leaves at that crash point.
    async function landedThenCrashed(title: string, file: string, content: string) {
      const task = e.tasks.add({ workspace: workspace.name, title });
      e.store.tasks.transition(task.id, 'running', new Date());
      const attempt = e.store.attempts.start(
        { taskId: task.id, sessionId: crashed.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
        new Date(),
      );
      const worktree = path.join(e.paths.worktrees, workspace.id, attempt.id);
      expect(
        (
          await addWorktree({
            repoPath: r.path,
            worktreePath: worktree,
            ownedRoot: e.paths.worktrees,
            branch: attempt.branch,
            base,
          })
        ).kind,
      ).toBe('created');
      const head = await openTempRepo(worktree).commit({ [file]: content }, title);
      e.store.attempts.update(attempt.id, { worktreePath: worktree, baseCommit: base, headCommit: head, score: 0.9 });
      const landed = await landAttempt(
        workspace,
        e.store.tasks.require(task.id),
        e.store.attempts.require(attempt.id),
        new Date(),
      );
      expect(landed.kind).toBe('merged');
      return { task, attempt, worktree, head, landed: landed as Extract<typeof landed, { kind: 'merged' }> };
    }
    const first = await landedThenCrashed('change a', 'a.txt', 'A\n');
    const second = await landedThenCrashed('change b', 'b.txt', 'B\n');
    const tipBefore = await r.git('rev-parse', 'nocturnal/integration');
    expect(tipBefore).toBe(second.landed.commit);

    await e.runSession({ trigger: 'manual' });

    for (const { task, attempt, worktree, landed } of [first, second]) {
      const after = e.tasks.show(task.id);
      expect(after.status).toBe('merged');
      expect(after.attempts).toHaveLength(1);
      expect(after.attempts[0]).toMatchObject({
        id: attempt.id,
        status: 'merged',
        decision: 'merge',
        mergedCommit: landed.commit,
        backupRef: landed.backupRef,
      });
      expect(after.attempts[0]?.reasons.at(-1)).toContain('recovered after a crash');
      expect(fs.existsSync(worktree)).toBe(false);
    }
    expect(first.landed.commit).toBe(first.head);
    expect(second.landed.commit).not.toBe(second.head);
    // Nothing moved the target again: each change is on it exactly once.
    expect(await r.git('rev-parse', 'nocturnal/integration')).toBe(tipBefore);
    // Sorted: the two changes are committed within the same second, and git orders equal dates either way.
    expect((await r.git('log', '--format=%s', '--no-merges', 'nocturnal/integration')).split('\n').sort()).toEqual([
      'change a',
      'change b',
      'initial commit',
    ]);
    expect((await listWorktrees(r.path)).map((w) => w.path)).toEqual([r.path]);
    // The recovered merge can be undone like any other.
    expect((await e.review.undo(first.attempt.id)).note).toContain('revert commit');
  });

  it('requeues a task left running before its attempt was recorded and removes worktrees nobody recorded', async () => {
    const { engine, repo } = await openEngine();
    const workspace = await engine.workspaces.add({ path: repo.path, checks: { test: 'true' } });
    const task = engine.tasks.add({ workspace: workspace.name, title: 'x' });
    engine.store.tasks.transition(task.id, 'running', new Date());
    // A worktree whose path never reached the store, and a half-made directory git never registered.
    const registered = path.join(engine.paths.worktrees, workspace.id, 'ghost-1');
    expect(
      (
        await addWorktree({
          repoPath: repo.path,
          worktreePath: registered,
          ownedRoot: engine.paths.worktrees,
          branch: 'nocturnal/ghost/1',
          base: 'main',
        })
      ).kind,
    ).toBe('created');
    const halfMade = path.join(engine.paths.worktrees, workspace.id, 'ghost-2');
    fs.mkdirSync(halfMade, { recursive: true });
    fs.writeFileSync(path.join(halfMade, 'a.txt'), 'partial');

    await engine.runSession({ trigger: 'manual', maxTasks: 0 });
    expect(engine.tasks.show(task.id).status).toBe('queued');
    expect(fs.readdirSync(path.join(engine.paths.worktrees, workspace.id))).toEqual([]);
    expect((await listWorktrees(repo.path)).map((w) => w.path)).toEqual([repo.path]);
  });
});
