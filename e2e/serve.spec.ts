// `nocturnal serve` end to end (issue 9 "Done when"): the real CLI started as a child process on a
// temporary home, a real git repository, sandboxed checks and a loopback OpenAI-compatible model that
// edits what its prompt shows. Over the HTTP API: add a task, start a session, watch its progress
// events (through the browser's own EventSource), see the change in review:list and review:get, approve
// it and find it on the target branch; bad payloads and a missing token are refused by name.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import { createTempDir, createTempRepo } from '../src-main/engine/git/testing/temp-repo';
import type { TempRepo } from '../src-main/engine/git/testing/temp-repo';
import { fixOperatorModel } from '../src-main/engine/llm/testing/fix-operator-model';
import { startLoopbackOpenAiServer } from '../src-main/engine/llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../src-main/engine/llm/testing/loopback-openai-server';
import { expect, repoRoot, test } from './support/fixtures';
import { middayTimeZone } from './support/midday-zone';

const buggyMath = 'function add(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add };\n';
const mathTest =
  "const assert = require('node:assert');\nconst { add } = require('./math.js');\nassert.strictEqual(add(2, 3), 5);\n";

/** What the page's recorder keeps (the spec type-checks without the DOM library, hence these shapes). */
interface Seen {
  event: string;
  data: Record<string, unknown>;
}
interface PageGlobals {
  seen: Seen[];
  EventSource: new (url: string) => {
    addEventListener(type: string, listener: (message: { data: string }) => void): void;
  };
}

interface Served {
  origin: string;
  token: string;
  child: ChildProcess;
  output: () => string;
}

let home: { path: string; cleanup(): Promise<void> };
let repo: TempRepo;
let model: LoopbackOpenAiServer;
let served: Served;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  home = await createTempDir('nocturnal-e2e-home-');
  repo = await createTempRepo({ files: { 'math.js': buggyMath, 'test.js': mathTest } });
  model = await startLoopbackOpenAiServer({
    models: ['test-model'],
    responder: (request) => fixOperatorModel({ file: 'math.js', reviewScore: 0.2 })(request.body),
  });
  served = await startServe(home.path, {
    NOCTURNAL_LLM_PROVIDER: 'openai',
    NOCTURNAL_LLM_API_URL: model.url,
    NOCTURNAL_LLM_MODEL: 'test-model',
    NOCTURNAL_LLM_MAX_RETRIES: '1',
    NOCTURNAL_LLM_TIMEOUT_S: '30',
    NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
    NOCTURNAL_SAFETY_MAX_CPU_PERCENT: '100',
    NOCTURNAL_SAFETY_MAX_MEMORY_PERCENT: '100',
    NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
    NOCTURNAL_SAFETY_PAUSE_ON_BATTERY: 'false',
    // The night window stays 22:00–06:00 local time; it is simply midday there (no automatic session).
    TZ: middayTimeZone(),
  });
});

test.afterAll(async () => {
  if (served) await stopServe(served);
  await model?.close();
  await repo?.cleanup();
  await home?.cleanup();
});

async function startServe(homePath: string, env: NodeJS.ProcessEnv): Promise<Served> {
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'nocturnal.js'), '--home', homePath, 'serve', '--port', '0'],
    {
      cwd: repoRoot,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`nocturnal serve printed no address within 90 s:\n${output}`)),
      90_000,
    );
    const look = () => {
      const line = output.split('\n').find((l) => l.includes('http://'));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    };
    child.stdout.on('data', look);
    child.once('exit', (code) => reject(new Error(`nocturnal serve exited with ${code}:\n${output}`)));
  });
  const match = /^serving on (http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+)$/.exec(url.trim());
  if (!match?.[1] || !match[2]) throw new Error(`unexpected address line: ${url}`);
  return { origin: match[1], token: match[2], child, output: () => output };
}

async function stopServe(server: Served): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill('SIGINT');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  if (server.child.exitCode === null) server.child.kill('SIGKILL');
}

async function call<T = unknown>(request: APIRequestContext, channel: string, payload: unknown): Promise<T> {
  const response = await request.post(`${served.origin}/api/${channel}`, {
    data: payload as object,
    headers: { authorization: `Bearer ${served.token}` },
  });
  const body = (await response.json()) as { data?: T; error?: { type: string; message: string } };
  if (body.error) throw new Error(`${channel}: ${body.error.type}: ${body.error.message}`);
  expect(response.status()).toBe(200);
  return body.data as T;
}

test('refuses calls without the token, and bad payloads by field', async ({ request }) => {
  const noToken = await request.post(`${served.origin}/api/status:get`, { data: {} });
  expect(noToken.status()).toBe(401);
  expect(await noToken.json()).toEqual({ error: { type: 'forbidden', message: expect.stringContaining('token') } });
  const wrongToken = await request.post(`${served.origin}/api/status:get`, {
    data: {},
    headers: { authorization: 'Bearer not-the-token' },
  });
  expect(wrongToken.status()).toBe(401);
  expect((await request.get(`${served.origin}/api/events`)).status()).toBe(401);

  const auth = { authorization: `Bearer ${served.token}` };
  const badPriority = await request.post(`${served.origin}/api/tasks:add`, {
    data: { workspace: 'calc', title: 'x', priority: 'urgent' },
    headers: auth,
  });
  expect(badPriority.status()).toBe(400);
  expect(await badPriority.json()).toEqual({
    error: { type: 'validation', message: expect.stringMatching(/^tasks:add: invalid payload: priority: /) },
  });
  const noPath = await request.post(`${served.origin}/api/workspaces:add`, { data: { name: 'calc' }, headers: auth });
  expect(await noPath.json()).toEqual({ error: { type: 'validation', message: expect.stringContaining('path: ') } });
  const unknown = await request.post(`${served.origin}/api/shell:exec`, { data: {}, headers: auth });
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()) as object).toMatchObject({ error: { type: 'unknown_channel' } });
});

test('a night over the HTTP API: queue, run, watch, review, approve', async ({ page, request }) => {
  test.setTimeout(300_000);
  const userBranchBefore = await repo.git('rev-parse', 'main');

  // The window itself, opened from the printed address, reaches the engine over HTTP.
  await page.goto(`${served.origin}/#token=${served.token}`);
  const status = page.getByRole('region', { name: 'Night status' });
  await expect(status).toContainText('22:00–06:00 (local time)');
  await expect(status.getByRole('button', { name: 'Disarm night mode' })).toBeEnabled();
  // And the browser's EventSource records every event from here on.
  await page.evaluate((token) => {
    const globals = globalThis as unknown as PageGlobals;
    globals.seen = [];
    const source = new globals.EventSource(`/api/events?token=${token}`);
    for (const event of ['session:progress', 'task:changed', 'review:changed', 'status:changed']) {
      source.addEventListener(event, (message) =>
        globals.seen.push({ event, data: JSON.parse(message.data) as Record<string, unknown> }),
      );
    }
  }, served.token);

  const workspace = await call<{ name: string; path: string }>(request, 'workspaces:add', {
    path: repo.path,
    name: 'calc',
    test: 'node test.js',
  });
  expect(workspace.name).toBe('calc');
  const task = await call<{ id: string; status: string; attempts: unknown[] }>(request, 'tasks:add', {
    workspace: 'calc',
    title: 'Fix add()',
    criteria: ['add(2, 3) returns 5'],
    files: ['math.js'],
  });
  expect(task).toMatchObject({ status: 'queued', attempts: [] });

  const started = await call<{ session: { id: string; status: string } }>(request, 'session:start', { maxTasks: 1 });
  expect(started.session.status).toBe('running');

  const ended = await page.waitForFunction(
    () =>
      (globalThis as unknown as PageGlobals).seen.find(
        (e) => e.event === 'session:progress' && e.data['type'] === 'session-ended',
      )?.data ?? null,
    undefined,
    { timeout: 240_000, polling: 500 },
  );
  expect(await ended.jsonValue()).toMatchObject({
    type: 'session-ended',
    session: { id: started.session.id, status: 'completed', stats: { tasksDone: 1, review: 1 } },
  });
  const seen = await page.evaluate(() => (globalThis as unknown as PageGlobals).seen);
  const progress = seen.filter((e) => e.event === 'session:progress').map((e) => e.data);
  expect(progress.map((p) => p['type']).filter((t) => t !== 'attempt')).toEqual([
    'session-started',
    'task-started',
    'task-finished',
    'session-ended',
  ]);
  const stages = progress.filter((p) => p['type'] === 'attempt').map((p) => (p['progress'] as { stage: string }).stage);
  expect(stages).toEqual(expect.arrayContaining(['prepare', 'baseline', 'generate', 'check', 'review', 'score']));
  expect(progress.find((p) => p['type'] === 'task-finished')).toMatchObject({ taskId: task.id, status: 'review' });
  expect(
    seen.filter((e) => e.event === 'task:changed').map((e) => (e.data['task'] as { status: string }).status),
  ).toEqual(expect.arrayContaining(['running', 'review']));
  expect(seen.find((e) => e.event === 'review:changed')?.data).toMatchObject({ items: [{ taskId: task.id }] });

  const waiting = await call<{ attemptId: string; taskId: string; branch: string; score: number; decision: string }[]>(
    request,
    'review:list',
    {},
  );
  expect(waiting).toHaveLength(1);
  const item = waiting[0];
  if (!item) throw new Error('nothing waiting');
  expect(item).toMatchObject({ taskId: task.id, branch: `nocturnal/${task.id}/1`, decision: 'review' });

  const detail = await call<{
    diff: { files: { path: string; change: string; hunks: { lines: { kind: string; text: string }[] }[] }[] };
    checks: { name: string; change: string; before: { passed: boolean }; after: { passed: boolean } }[];
    scoreBreakdown: { checks: number; review: number; gates: string[]; total: number };
    review: { score: number; verdict: string; issues: string[]; model: string };
  }>(request, 'review:get', { attemptId: item.attemptId });
  expect(detail.diff.files.map((f) => [f.path, f.change])).toEqual([['math.js', 'modified']]);
  const lines = detail.diff.files[0]?.hunks.flatMap((h) => h.lines).filter((l) => l.kind !== 'context');
  expect(lines).toEqual([
    { kind: 'remove', text: '  return a - b;', oldLine: 2, newLine: null },
    { kind: 'add', text: '  return a + b;', oldLine: null, newLine: 2 },
  ]);
  expect(detail.checks).toEqual([
    expect.objectContaining({
      name: 'test',
      command: 'node test.js',
      change: 'fixed',
      before: expect.objectContaining({ passed: false }),
      after: expect.objectContaining({ passed: true }),
    }),
  ]);
  // A review below one half is no evidence the task is done: the change waits for a person (issue 11).
  expect(detail.scoreBreakdown).toMatchObject({
    checks: 1,
    review: 0.2,
    gates: ['no evidence the task is done: the review scored 0.2 (below 0.5)'],
    total: item.score,
  });
  expect(detail.review).toEqual({
    score: 0.2,
    verdict: 'revise',
    issues: ['the fix is right but no test covers it'],
    model: 'test-model',
    createdAt: expect.any(String),
  });

  const approved = await call<{ attempt: { status: string; mergedCommit: string }; note: string }>(
    request,
    'review:approve',
    { attemptId: item.attemptId },
  );
  expect(approved.attempt.status).toBe('merged');
  expect(await repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
  // The user's own branch is untouched.
  expect(await repo.git('rev-parse', 'main')).toBe(userBranchBefore);
  expect(fs.readFileSync(path.join(repo.path, 'math.js'), 'utf8')).toBe(buggyMath);
  expect(await call(request, 'review:list', {})).toEqual([]);
  expect(await call<{ status: string }>(request, 'tasks:get', { id: task.id })).toMatchObject({ status: 'merged' });
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (
            (globalThis as unknown as PageGlobals).seen.filter((e) => e.event === 'review:changed').at(-1)?.data[
              'items'
            ] as unknown[] | undefined
          )?.length,
      ),
    )
    .toBe(0);

  // The window's own switch goes through the same API and the one config writer.
  await status.getByRole('button', { name: 'Disarm night mode' }).click();
  await expect(status.getByRole('button', { name: 'Arm night mode' })).toBeEnabled();
  expect(fs.readFileSync(path.join(home.path, 'config.yaml'), 'utf8')).toMatch(/night_mode: false/);
});
