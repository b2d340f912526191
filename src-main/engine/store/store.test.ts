import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NocturnalError } from '../errors/nocturnal-error';
import { acquireEngineLock, readLockOwner } from './engine-lock';
import { openStore } from './store';
import type { Store } from './store';

let dir: string;
let store: Store;
const now = new Date('2026-11-24T12:00:00Z');
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-store-'));
  store = openStore(path.join(dir, 'nocturnal.db'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function addWorkspace(name = 'app') {
  return store.workspaces.add(
    {
      name,
      path: `/repos/${name}`,
      baseBranch: 'main',
      targetBranch: 'nocturnal/integration',
      checks: { test: 'npm test' },
    },
    now,
  );
}

function addTask(workspaceId: string, title: string, priority: 'low' | 'medium' | 'high' | 'critical', at = now) {
  return store.tasks.add(
    { workspaceId, title, description: '', criteria: ['works'], priority, executor: 'direct', files: [] },
    at,
  );
}

describe('store repositories', () => {
  it('round-trip workspaces and refuse duplicates', () => {
    const ws = addWorkspace();
    expect(store.workspaces.byName('app')).toEqual(ws);
    expect(ws.checks).toEqual({ test: 'npm test' });
    expect(() => addWorkspace()).toThrow(/UNIQUE/);
  });

  it("keep a workspace's --setup command and the last setup's outcome", () => {
    const ws = store.workspaces.add(
      {
        name: 'py',
        path: '/repos/py',
        baseBranch: 'main',
        targetBranch: 'nocturnal/integration',
        checks: { test: 'pytest' },
        setupCommand: 'make deps',
      },
      now,
    );
    expect(ws).toMatchObject({ setupCommand: 'make deps', setupStatus: null });
    expect(addWorkspace().setupCommand).toBeNull();
    const failed = {
      state: 'failed' as const,
      kind: 'custom',
      command: 'make deps',
      hash: '0123456789abcdef',
      durationMs: 12,
      at: now.toISOString(),
      message: '`make deps` failed (exit code 2)',
    };
    store.workspaces.setSetupStatus(ws.id, failed);
    expect(store.workspaces.get(ws.id)?.setupStatus).toEqual(failed);
  });

  it('queue tasks by priority, then age', () => {
    const ws = addWorkspace();
    const low = addTask(ws.id, 'low', 'low', new Date('2026-11-24T10:00:00Z'));
    const highLate = addTask(ws.id, 'high late', 'high', new Date('2026-11-24T11:00:00Z'));
    const highEarly = addTask(ws.id, 'high early', 'high', new Date('2026-11-24T09:00:00Z'));
    const critical = addTask(ws.id, 'critical', 'critical', new Date('2026-11-24T11:30:00Z'));
    expect(store.tasks.queue().map((t) => t.id)).toEqual([critical.id, highEarly.id, highLate.id, low.id]);
  });

  it('allow only the transitions of the task life cycle', () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'x', 'medium');
    expect(store.tasks.transition(task.id, 'running', now).status).toBe('running');
    expect(store.tasks.transition(task.id, 'failed', now, { reason: 'model server down' }).statusReason).toBe(
      'model server down',
    );
    expect(() => store.tasks.transition(task.id, 'merged', now)).toThrow(NocturnalError);
    expect(store.tasks.transition(task.id, 'queued', now, { retryNote: 'try smaller' }).retryNote).toBe('try smaller');
    expect(store.tasks.transition(task.id, 'cancelled', now).status).toBe('cancelled');
    expect(() => store.tasks.transition(task.id, 'queued', now)).toThrow(/cancelled/);
  });

  it('move a task through the same life cycle without reading it back', () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'x', 'medium');
    expect(store.tasks.move(task.id, 'running', now)).toBeUndefined();
    store.tasks.move(task.id, 'review', now, { reason: 'score 0.80 sk-abcdefghijklmnopqrstuvwx' });
    const moved = store.tasks.require(task.id);
    expect(moved.status).toBe('review');
    expect(moved.statusReason).toContain('score 0.80');
    expect(moved.statusReason).not.toContain('sk-abcdefghijklmnopqrstuvwx');
    expect(() => store.tasks.move(task.id, 'running', now)).toThrow(/review; it cannot become running/);
    expect(() => store.tasks.move('nope', 'running', now)).toThrow(/no task with id "nope"/);
  });

  it('number attempts per task, name their branches and store their evidence', () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'x', 'medium');
    const first = store.attempts.start(
      { taskId: task.id, sessionId: null, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    const second = store.attempts.start(
      { taskId: task.id, sessionId: null, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    expect([first.number, second.number]).toEqual([1, 2]);
    expect(second.branch).toBe(`nocturnal/${task.id}/2`);
    const scored = store.attempts.transition(first.id, 'review', now, {
      score: 0.8,
      decision: 'review',
      reasons: ['tests pass', 'review asked for changes'],
      diff: { files: 1, insertions: 3, deletions: 1, paths: ['a.ts'] },
    });
    expect(scored).toMatchObject({
      status: 'review',
      score: 0.8,
      decision: 'review',
      reasons: ['tests pass', 'review asked for changes'],
    });
    expect(scored.endedAt).toBe(now.toISOString());
    expect(() => store.attempts.transition(first.id, 'running', now)).toThrow(NocturnalError);
    expect(store.tasks.require(task.id).attempts.map((a) => a.id)).toEqual([first.id, second.id]);
  });

  it("write an attempt's evidence without reading the row back, redacted, and refuse an unknown id", () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'x', 'medium');
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId: null, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    const key = 'sk-abcdefghijklmnopqrstuvwx';
    expect(
      store.attempts.write(attempt.id, { headCommit: 'a'.repeat(40), cycles: 2, reasons: [`server said ${key}`] }),
    ).toBeUndefined();
    const stored = store.attempts.require(attempt.id);
    expect(stored).toMatchObject({ headCommit: 'a'.repeat(40), cycles: 2 });
    expect(stored.reasons).toHaveLength(1);
    expect(stored.reasons[0]).not.toContain(key);
    expect(() => store.attempts.write('nope', { cycles: 1 })).toThrow(/no attempt with id "nope"/);
    expect(() => store.attempts.write('nope', {})).toThrow(/no attempt with id "nope"/);
    expect(() => store.attempts.write(attempt.id, {})).not.toThrow();
  });

  it('sum usage per session and keep interactions with their ids', () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'x', 'medium');
    const session = store.sessions.start({ trigger: 'manual', settings: { a: 1 } }, now);
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId: session.id, branchPrefix: 'nocturnal', targetBranch: 't' },
      now,
    );
    const context = { sessionId: session.id, taskId: task.id, attemptId: attempt.id };
    store.interactions.record(
      {
        ...context,
        agent: 'direct',
        schemaName: 'nocturnal_edits',
        instruction: 'fix',
        response: '{}',
        error: null,
        promptTokens: 10,
        completionTokens: 5,
        cachedTokens: 0,
        durationMs: 100,
        provider: 'openai',
        model: 'm',
      },
      now,
    );
    for (const tokens of [10, 20]) {
      store.usage.record(
        {
          ...context,
          provider: 'openai',
          model: 'm',
          promptTokens: tokens,
          completionTokens: 1,
          cachedTokens: 0,
          durationMs: 5,
          costUsd: 0.01,
          energyWh: 0,
          free: false,
        },
        now,
      );
    }
    expect(store.usage.totals({ sessionId: session.id })).toMatchObject({
      calls: 2,
      freeCalls: 0,
      promptTokens: 30,
      completionTokens: 2,
    });
    store.interactions.recordApproval(attempt.id, 'approved', 'by user');
    expect(store.interactions.forAttempt(attempt.id)[0]).toMatchObject({
      schemaName: 'nocturnal_edits',
      approval: 'approved',
    });
    expect(store.sessions.end(session.id, 'completed', null, now).status).toBe('completed');
  });

  it('report a damaged JSON column instead of inventing a value', () => {
    const ws = addWorkspace();
    store.db.prepare('UPDATE workspaces SET checks_json = ? WHERE id = ?').run('{broken', ws.id);
    expect(() => store.workspaces.get(ws.id)).toThrow(/damaged JSON.*workspaces\.checks_json/);
  });

  it('name the table, column and row of a damaged JSON column in tasks, attempts and events read in bulk', () => {
    const ws = addWorkspace();
    const task = addTask(ws.id, 'fix it', 'low');
    const session = store.sessions.start({ trigger: 'manual', settings: {} }, now);
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId: session.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      now,
    );
    const event = store.events.append(
      { sessionId: session.id, taskId: task.id, attemptId: attempt.id, type: 'task-started', message: 'go', data: {} },
      now,
    );
    // Intact first: the bulk readers map every column to its field.
    expect(store.tasks.list()).toEqual([
      { ...store.tasks.require(task.id), attempts: [store.attempts.require(attempt.id)] },
    ]);
    expect(store.attempts.forSession(session.id)[0]).toMatchObject({ id: attempt.id, reasons: [], checksAfter: null });
    expect(store.events.forSession(session.id)).toEqual([event]);

    store.db.prepare('UPDATE attempts SET checks_after_json = ? WHERE id = ?').run('[{', attempt.id);
    expect(() => store.tasks.list()).toThrow(
      new NocturnalError('runtime', `damaged JSON in the database at attempts.checks_after_json (${attempt.id})`),
    );
    expect(() => store.attempts.forSession(session.id)).toThrow(`attempts.checks_after_json (${attempt.id})`);
    store.db.prepare('UPDATE attempts SET checks_after_json = NULL WHERE id = ?').run(attempt.id);
    store.db.prepare('UPDATE tasks SET files_json = ? WHERE id = ?').run('nope', task.id);
    expect(() => store.tasks.queue()).toThrow(`damaged JSON in the database at tasks.files_json (${task.id})`);
    store.db.prepare('UPDATE events SET data_json = ? WHERE id = ?').run('{"a":', event.id);
    expect(() => store.events.forSession(session.id)).toThrow(
      `damaged JSON in the database at events.data_json (${event.id})`,
    );
  });
});

describe('engine lock', () => {
  it('lets one engine in and names the holder to the next', () => {
    const file = path.join(dir, 'engine.lock');
    const lock = acquireEngineLock(file, 'session');
    expect(() => acquireEngineLock(file, 'session')).toThrow(new RegExp(`pid ${process.pid}`));
    expect(readLockOwner(file)?.pid).toBe(process.pid);
    lock.release();
    expect(readLockOwner(file)).toBeUndefined();
    acquireEngineLock(file, 'session').release();
  });

  it('is free again once its holder was killed, without anyone taking a file over', () => {
    const file = path.join(dir, 'engine.lock');
    const holder = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `
      import { acquireEngineLock } from ${JSON.stringify(path.resolve('src-main/engine/store/engine-lock.ts'))};
      acquireEngineLock(${JSON.stringify(file)}, 'session');
      process.kill(process.pid, 'SIGKILL');
    `,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(holder.signal).toBe('SIGKILL');
    expect(readLockOwner(file)).toBeUndefined();
    const lock = acquireEngineLock(file, 'session');
    expect(readLockOwner(file)?.pid).toBe(process.pid);
    lock.release();
  });
});
