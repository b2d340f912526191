// The report's batched queries must give each attempt its own tokens and outcome, exactly as the
// per-attempt loop they replaced did.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../store/store';
import type { Store } from '../store/store';
import { buildSessionReport } from './session-report';

let dir: string;
let store: Store;
const t0 = new Date('2026-11-24T22:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-report-'));
  store = openStore(path.join(dir, 'nocturnal.db'));
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function usage(sessionId: string, taskId: string, attemptId: string, promptTokens: number, completionTokens: number) {
  store.usage.record(
    {
      sessionId,
      taskId,
      attemptId,
      provider: 'openai',
      model: 'm',
      promptTokens,
      completionTokens,
      cachedTokens: 1,
      durationMs: 10,
      costUsd: 0,
      energyWh: 0,
      free: true,
    },
    t0,
  );
}

describe('buildSessionReport', () => {
  it("gives each attempt its own tokens and the outcome its session recorded, and leaves other sessions' rows out", () => {
    const ws = store.workspaces.add(
      { name: 'app', path: '/repos/app', baseBranch: 'main', targetBranch: 'nocturnal/integration', checks: {} },
      t0,
    );
    const task = (title: string) =>
      store.tasks.add(
        { workspaceId: ws.id, title, description: '', criteria: [], priority: 'medium', executor: 'direct', files: [] },
        t0,
      );
    const older = store.sessions.start({ trigger: 'manual', settings: {} }, t0);
    const a = task('fix parser');
    const b = task('add flag');
    const oldAttempt = store.attempts.start(
      { taskId: a.id, sessionId: older.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      t0,
    );
    usage(older.id, a.id, oldAttempt.id, 999, 999);
    store.attempts.transition(oldAttempt.id, 'failed', at(1));
    store.tasks.transition(a.id, 'running', at(1));
    store.tasks.transition(a.id, 'failed', at(1));
    store.tasks.transition(a.id, 'queued', at(2));

    const night = store.sessions.start({ trigger: 'night', settings: {} }, at(10));
    store.events.append(
      {
        sessionId: night.id,
        taskId: null,
        attemptId: null,
        type: 'session-started',
        message: 'session started (night); plan: 2 of 3 tasks fit tonight; 1 waits for tomorrow',
        data: { plan: '2 of 3 tasks fit tonight; 1 waits for tomorrow' },
      },
      at(10),
    );
    store.tasks.transition(a.id, 'running', at(10));
    const first = store.attempts.start(
      { taskId: a.id, sessionId: night.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      at(10),
    );
    usage(night.id, a.id, first.id, 100, 20);
    usage(night.id, a.id, first.id, 50, 5);
    store.attempts.transition(first.id, 'review', at(14));
    store.events.append(
      {
        sessionId: night.id,
        taskId: a.id,
        attemptId: null,
        type: 'task-review',
        message: 'review',
        data: { attemptId: first.id, score: 0.8 },
      },
      at(14),
    );
    const second = store.attempts.start(
      { taskId: b.id, sessionId: night.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
      at(15),
    );
    store.attempts.transition(second.id, 'interrupted', at(16));
    store.events.append(
      {
        sessionId: night.id,
        taskId: b.id,
        attemptId: null,
        type: 'task-requeued',
        message: 'requeued',
        data: { attemptId: second.id },
      },
      at(16),
    );

    const report = buildSessionReport(store, { sessionId: night.id, freeToolTargetRate: 0.5 });
    expect(
      report.tasks.map((t) => ({
        attempt: t.attemptId,
        title: t.title,
        workspace: t.workspace,
        status: t.status,
        statusNow: t.statusNow,
        tokens: t.tokens,
        durationMs: t.durationMs,
      })),
    ).toEqual([
      {
        attempt: first.id,
        title: 'fix parser',
        workspace: 'app',
        status: 'review',
        statusNow: 'running',
        tokens: { prompt: 150, completion: 25, cached: 2 },
        durationMs: 4 * 60_000,
      },
      {
        attempt: second.id,
        title: 'add flag',
        workspace: 'app',
        status: 'queued',
        statusNow: 'queued',
        tokens: { prompt: 0, completion: 0, cached: 0 },
        durationMs: 60_000,
      },
    ]);
    expect(report.usage).toMatchObject({ calls: 2, freeCalls: 2, freeRate: 1 });
    // The night plan the session started with is a note of the report (and so a line of its Markdown).
    expect(report.notes).toEqual(['plan at the start: 2 of 3 tasks fit tonight; 1 waits for tomorrow']);
  });
});
