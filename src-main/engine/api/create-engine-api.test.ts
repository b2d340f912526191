// The engine API in-process, on a real night: a real repository, sandboxed checks and a loopback model
// that edits what its prompt shows. Start, progress events, the review detail, stop, approve.
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-shared/api/names';
import type { SessionProgress } from '../../../src-shared/domain/progress';
import { createNightFixture } from '../../cli/testing/night-fixture';
import type { NightFixture } from '../../cli/testing/night-fixture';
import { loadConfig } from '../config/config-file';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { fixOperatorModel } from '../llm/testing/fix-operator-model';
import { callChannel } from './call-channel';
import { createEngineApi } from './create-engine-api';

let fixture: NightFixture | undefined;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.stop();
  await fixture?.cleanup();
  engine = undefined;
  fixture = undefined;
});

async function setUp() {
  const model = fixOperatorModel({ file: 'math.js', reviewScore: 0.2 });
  const f = (fixture = await createNightFixture({
    respond: (_schema, _prompt, request) => model(request.body),
    env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0' },
  }));
  const e = (engine = createEngine({ home: f.home, env: f.env, config: loadConfig({ home: f.home, env: f.env }) }));
  await e.start();
  const api = createEngineApi(e, { host: 'server', version: '0.0.0-test' });
  const seen: { event: EventName; payload: unknown }[] = [];
  e.events.onAny((event, payload) => seen.push({ event, payload }));
  await callChannel(api, 'workspaces:add', { path: f.repo.path, name: 'calc', test: 'node test.js' });
  return { f, e, api, seen };
}

async function sessionEnded(seen: { event: EventName; payload: unknown }[]): Promise<SessionProgress> {
  for (let i = 0; i < 1200; i++) {
    const ended = seen.find(
      (s) => s.event === 'session:progress' && (s.payload as SessionProgress).type === 'session-ended',
    );
    if (ended) return ended.payload as SessionProgress;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the session did not end');
}

describe('createEngineApi on a real night', () => {
  it('starts a session that reports progress, holds the fix for review with its full detail, and approves it', async () => {
    const { f, api, seen } = await setUp();
    const before = await f.userView();
    const task = await callChannel(api, 'tasks:add', { workspace: 'calc', title: 'Fix add()', files: ['math.js'] });
    // Editable while queued.
    expect(await callChannel(api, 'tasks:update', { id: task.id, priority: 'critical' })).toMatchObject({
      id: task.id,
      priority: 'critical',
      status: 'queued',
    });

    const { session } = await callChannel(api, 'session:start', { maxTasks: 1 });
    expect(session).toMatchObject({ status: 'running', trigger: 'manual' });
    await expect(callChannel(api, 'session:start', {})).rejects.toMatchObject({ kind: 'conflict' });
    expect(await sessionEnded(seen)).toMatchObject({
      session: { id: session.id, status: 'completed', stats: { tasksDone: 1, review: 1 } },
    });
    const steps = seen
      .filter((s) => s.event === 'session:progress')
      .map((s) => (s.payload as SessionProgress).type)
      .filter((t) => t !== 'attempt');
    expect(steps).toEqual(['session-started', 'task-started', 'task-finished', 'session-ended']);
    // The timeline holds the same steps.
    const report = await callChannel(api, 'report:get', { sessionId: session.id });
    expect(report.events.map((e) => e.type)).toEqual([
      'session-started',
      'task-started',
      'task-review',
      'session-ended',
    ]);

    await expect(callChannel(api, 'tasks:update', { id: task.id, title: 'too late' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('only queued tasks'),
    });
    const [item] = await callChannel(api, 'review:list', {});
    if (!item) throw new Error('nothing is waiting');
    expect(item).toMatchObject({ taskId: task.id, decision: 'review', branch: `nocturnal/${task.id}/1` });
    const detail = await callChannel(api, 'review:get', { attemptId: item.attemptId });
    expect(detail.diff?.files.map((file) => file.path)).toEqual(['math.js']);
    expect(detail.diff?.files[0]?.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'context')).toEqual([
      { kind: 'remove', text: '  return a - b;', oldLine: 2, newLine: null },
      { kind: 'add', text: '  return a + b;', oldLine: null, newLine: 2 },
    ]);
    expect(detail.checks).toMatchObject([
      { name: 'test', change: 'fixed', before: { passed: false }, after: { passed: true } },
    ]);
    // A review below 0.5 is the no-evidence gate (quality/score.ts); the total is already below its cap.
    expect(detail.scoreBreakdown).toMatchObject({
      checks: 1,
      review: 0.2,
      gates: ['no evidence the task is done: the review scored 0.2 (below 0.5)'],
      cap: 0,
      total: item.score,
    });
    expect(detail.review).toMatchObject({
      score: 0.2,
      verdict: 'revise',
      issues: ['the fix is right but no test covers it'],
      model: 'test-model',
    });
    expect(seen.find((s) => s.event === 'review:changed')?.payload).toMatchObject({
      origin: 'engine',
      attemptId: item.attemptId,
      items: [{ attemptId: item.attemptId }],
    });

    const approved = await callChannel(api, 'review:approve', { attemptId: item.attemptId });
    expect(approved.attempt.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
    expect(seen.filter((s) => s.event === 'review:changed').at(-1)?.payload).toMatchObject({
      attemptId: item.attemptId,
      items: [],
    });
    expect(await f.userView()).toEqual(before);
  });

  it('stops a running session after its current task', async () => {
    const { api, seen } = await setUp();
    for (const title of ['Fix add()', 'Fix add() again'])
      await callChannel(api, 'tasks:add', { workspace: 'calc', title, files: ['math.js'] });
    const { session } = await callChannel(api, 'session:start', {});
    expect(await callChannel(api, 'session:stop', {})).toEqual({ stopping: true, sessionId: session.id });
    expect(await sessionEnded(seen)).toMatchObject({
      session: { status: 'stopped', endReason: 'stopped by the user' },
    });
    expect((await callChannel(api, 'status:get', {})).queue.queued).toBeGreaterThanOrEqual(1);
    expect(await callChannel(api, 'session:stop', {})).toEqual({ stopping: false, sessionId: null });
  });

  it('detects check commands and setup from the repository without running anything', async () => {
    const { f, api } = await setUp();
    await f.repo.commit({
      'package.json': JSON.stringify({
        scripts: { test: 'node test.js', lint: 'eslint .', typecheck: 'tsc --noEmit' },
      }),
      'package-lock.json': '{}',
    });
    const found = await callChannel(api, 'workspaces:detect', { path: f.repo.path });
    expect(found).toMatchObject({
      isRepository: true,
      problem: null,
      currentBranch: 'main',
      checks: { test: 'npm test', lint: 'npm run lint', typecheck: 'npm run typecheck' },
      setup: expect.stringMatching(/^npm ci/),
    });
    expect(await callChannel(api, 'workspaces:detect', { path: f.home })).toMatchObject({
      isRepository: false,
      problem: expect.stringContaining('not a git repository'),
    });
  });

  it('workspaces:update changes a workspace for every face, validated like workspaces:add', async () => {
    const { api } = await setUp();
    const changed = await callChannel(api, 'workspaces:update', {
      name: 'calc',
      lint: 'node lint.js',
      target: 'night/work',
      startFrom: 'base',
    });
    expect(changed).toMatchObject({
      name: 'calc',
      targetBranch: 'night/work',
      startFrom: 'base',
      checks: { test: 'node test.js', lint: 'node lint.js' },
    });
    expect(await callChannel(api, 'workspaces:update', { name: 'calc', lint: null })).toMatchObject({
      checks: { test: 'node test.js' },
    });
    expect((await callChannel(api, 'workspaces:list', {}))[0]?.checks).toEqual({ test: 'node test.js' });
    // The payload is checked before the handler runs: an unknown field and an empty command are refused.
    await expect(callChannel(api, 'workspaces:update', { name: 'calc', tests: 'x' } as never)).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('tests'),
    });
    await expect(callChannel(api, 'workspaces:update', { name: 'calc', lint: ' ' })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('lint'),
    });
    await expect(
      callChannel(api, 'workspaces:update', { name: 'calc', test: 'npm test && git stash' }),
    ).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('--test') });
    expect((await callChannel(api, 'workspaces:list', {}))[0]).toMatchObject({
      targetBranch: 'night/work',
      checks: { test: 'node test.js' },
    });
  });
});
