// The engine host on a real engine: real git repository, real SQLite home, real sandboxed checks and
// the loopback OpenAI-compatible server. The scripted model reads the prompt: it fixes `add` only
// when the prompt shows the bug, and its review approves only a diff that contains the fix.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../src-shared/api/dispatch';
import { events as contractEvents } from '../../src-shared/api/events';
import { engineStatusSchema } from '../../src-shared/domain/app-state';
import { describeError } from '../engine/api/describe-error';
import type { Task } from '../../src-shared/domain/records';
import { createNightFixture, editsReply, reviewReply } from '../cli/testing/night-fixture';
import type { NightFixture } from '../cli/testing/night-fixture';
import type { ScriptedReply } from '../engine/llm/testing/loopback-openai-server';
import type { EngineNotification } from '../engine/ports';
import { createManualClock } from '../engine/scheduler/testing/manual-clock';
import { startEngineHost } from './engine-host';
import type { EngineHost, HostEvent } from './engine-host';

let fixture: NightFixture | undefined;
let host: EngineHost | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  await host?.close();
  host = undefined;
  await fixture?.cleanup();
  fixture = undefined;
});

/** Reads what the prompt shows: a fix when `add` subtracts; approval only for a diff adding the fix. */
function modelReadingThePrompt(schema: string, prompt: string): ScriptedReply {
  if (schema === 'nocturnal_edits') {
    return prompt.includes('return a - b;')
      ? editsReply(
          [{ path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' }],
          'fix add',
        )
      : editsReply([], 'nothing to fix');
  }
  return prompt.includes('+  return a + b;')
    ? reviewReply(0.95)
    : reviewReply(0.1, 'reject', ['the diff does not fix add']);
}

async function setUp(respond: (schema: string, prompt: string) => ScriptedReply, env: NodeJS.ProcessEnv = {}) {
  fixture = await createNightFixture({ respond, env });
  const f = fixture;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
  const added = await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js', '--json');
  expect(added.code).toBe(0);
  return { f, taskId: added.json<{ id: string }>().id };
}

async function showTask(f: NightFixture, id: string): Promise<Task> {
  return (await f.cli('task', 'show', id, '--json')).json<Task>();
}

async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('engine host', () => {
  it(
    'runs the night by itself at the window opening, awake only while working, and notifies with the report',
    { timeout: 120_000 },
    async () => {
      const { f, taskId } = await setUp(modelReadingThePrompt, {
        NOCTURNAL_SCHEDULER_START_TIME: '22:00',
        NOCTURNAL_SCHEDULER_END_TIME: '06:00',
        NOCTURNAL_SCHEDULER_TIMEZONE: 'Europe/Berlin',
        NOCTURNAL_SCHEDULER_NIGHT_MODE: 'true',
      });
      const clock = createManualClock('2026-01-15T20:58:00Z'); // 21:58 in Berlin
      const awake: string[] = [];
      const notified: EngineNotification[] = [];
      const events: HostEvent[] = [];
      host = await startEngineHost({
        home: f.home,
        env: f.env,
        kind: 'server',
        ports: {
          now: clock.now,
          setTimer: clock.setTimer,
          notify: (n) => notified.push(n),
          preventSleep: (reason) => {
            awake.push(`hold: ${reason}`);
            return () => awake.push('release');
          },
        },
      });
      const h = host;
      h.on((event) => events.push(event));
      expect(h.snapshot()).toMatchObject({
        status: {
          nightMode: { enabled: true },
          windowOpen: false,
          nextStart: '2026-01-15T21:00:00.000Z',
          queue: { queued: 1 },
          session: null,
          modelLoaded: false,
        },
        scheduler: { phase: 'waiting' },
      });

      await clock.advanceTo('2026-01-15T20:59:59Z');
      expect(h.scheduler.state().phase).toBe('waiting');
      expect(awake).toEqual([]);

      await clock.advanceTo('2026-01-15T21:00:00Z');
      expect(h.scheduler.state()).toMatchObject({ phase: 'working', running: 'night-window' });
      // The session row appears once start-up recovery (git, asynchronous) has looked at the worktrees.
      await vi.waitFor(() => expect(h.snapshot().status.session).not.toBeNull(), { timeout: 30_000, interval: 50 });
      // The status every face shows is the contract's type.
      expect(engineStatusSchema.parse(h.snapshot().status)).toEqual(h.snapshot().status);
      expect(h.snapshot().status).toMatchObject({
        windowOpen: true,
        nextStart: null,
        session: { trigger: 'night-window', status: 'running' },
      });
      expect(awake).toEqual(['hold: Nocturnal Agent is working through the night queue']);
      await h.scheduler.idle();

      expect(awake).toEqual(['hold: Nocturnal Agent is working through the night queue', 'release']);
      const task = await showTask(f, taskId);
      expect(task.status).toBe('merged');
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
      const session = h.snapshot().status.lastSession;
      expect(session).toMatchObject({
        trigger: 'night-window',
        status: 'completed',
        stats: { merged: 1, tasksDone: 1 },
      });
      expect(notified).toEqual([
        {
          kind: 'session_end',
          title: 'Nocturnal Agent: night finished',
          body: '1 merged, 0 waiting for review, 0 rejected, 0 failed',
          action: { type: 'open-report', sessionId: session?.id },
        },
      ]);
      // The transports saw the progress and the state turn from working back to idle in the window.
      expect(
        events.some(
          (e) => e.type === 'progress' && e.progress.type === 'task-finished' && e.progress.status === 'merged',
        ),
      ).toBe(true);
      expect(events.some((e) => e.type === 'notification')).toBe(true);
      const last = events.filter((e) => e.type === 'state').at(-1);
      expect(last).toMatchObject({
        snapshot: {
          scheduler: { phase: 'idle', note: 'the window is open and nothing is queued' },
          status: { queue: { merged: 1, queued: 0 }, session: null, waitingReviews: 0 },
        },
      });
    },
  );

  it(
    'night mode switched through the host is written to config.yaml and starts the waiting queue inside the window',
    { timeout: 120_000 },
    async () => {
      const { f, taskId } = await setUp(modelReadingThePrompt, {
        NOCTURNAL_SCHEDULER_START_TIME: '00:00',
        NOCTURNAL_SCHEDULER_END_TIME: '00:00',
      });
      fs.writeFileSync(path.join(f.home, 'config.yaml'), '# mine\nscheduler:\n  night_mode: false # off by day\n');
      host = await startEngineHost({ home: f.home, env: f.env, kind: 'server' });
      const h = host;
      expect(h.scheduler.state().phase).toBe('off');
      expect(h.setNightMode(true)).toEqual({
        enabled: true,
        window: { startTime: '00:00', endTime: '00:00', timezone: 'local' },
      });
      expect(fs.readFileSync(path.join(f.home, 'config.yaml'), 'utf8')).toBe(
        '# mine\nscheduler:\n  night_mode: true # off by day\n',
      );
      expect(h.scheduler.state().phase).toBe('working');
      await h.scheduler.idle();
      expect((await showTask(f, taskId)).status).toBe('merged');
    },
  );

  it(
    'its API handlers start and stop sessions through the scheduler, and validate payloads',
    { timeout: 120_000 },
    async () => {
      const { f, taskId } = await setUp(modelReadingThePrompt, { NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false' });
      expect((await f.cli('task', 'add', 'calc', 'Second look at add()', '--file', 'math.js')).code).toBe(0);
      host = await startEngineHost({ home: f.home, env: f.env, kind: 'server' });
      const h = host;
      const events: string[] = [];
      h.onContractEvent((event, payload) => {
        // Every event the host relays is the contract's.
        expect(contractEvents[event].safeParse(payload).success).toBe(true);
        events.push(event);
      });
      const call = (channel: string, payload: unknown) => dispatch(channel, payload, h.handlers, describeError);

      expect(await call('session:start', { maxTasks: 'two' })).toEqual({
        error: { type: 'validation', message: expect.stringContaining('maxTasks') },
      });
      const started = await call('session:start', { maxTasks: 2 });
      expect(started).toMatchObject({ data: { session: { trigger: 'manual', status: 'running' } } });
      // The scheduler knows: a second start is refused, "stop after this task" reaches the same session.
      expect(h.scheduler.state()).toMatchObject({ phase: 'working', running: 'manual' });
      expect(await call('session:start', {})).toEqual({
        error: { type: 'conflict', message: expect.stringContaining('already running') },
      });
      const sessionId = (started as { data: { session: { id: string } } }).data.session.id;
      expect(await call('session:stop', {})).toEqual({ data: { stopping: true, sessionId } });
      expect((await call('status:get', {})) as unknown).toMatchObject({
        data: { stopping: true, session: { id: sessionId } },
      });
      await h.scheduler.idle();

      const session = h.snapshot().status.lastSession;
      expect(session).toMatchObject({ id: sessionId, status: 'stopped', stats: { tasksDone: 1 } });
      expect((await showTask(f, taskId)).status).toBe('merged');
      expect(events).toContain('session:progress');
      expect(events).toContain('status:changed');
    },
  );

  it('refuses night mode when an environment variable decides it', async () => {
    const { f } = await setUp(modelReadingThePrompt, { NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false' });
    host = await startEngineHost({ home: f.home, env: f.env, kind: 'server' });
    expect(() => host?.setNightMode(true)).toThrow(/NOCTURNAL_SCHEDULER_NIGHT_MODE=false/);
    expect(fs.existsSync(path.join(f.home, 'config.yaml'))).toBe(false);
  });

  it(
    'killed with SIGKILL mid-session in a child process, the next start recovers and the task then merges',
    { timeout: 180_000 },
    async () => {
      let stall = true;
      const { f, taskId } = await setUp(
        (schema, prompt) => (stall ? { hang: true } : modelReadingThePrompt(schema, prompt)),
        {
          // Always inside the window, looking around every second.
          NOCTURNAL_SCHEDULER_START_TIME: '00:00',
          NOCTURNAL_SCHEDULER_END_TIME: '00:00',
          NOCTURNAL_SCHEDULER_CHECK_INTERVAL_S: '1',
          NOCTURNAL_LLM_TIMEOUT_S: '600',
        },
      );
      const script = path.join(import.meta.dirname, 'testing', 'host-child.ts');
      child = spawn(process.execPath, ['--import', 'tsx', script], {
        env: { ...f.env, PATH: process.env['PATH'], HOME: process.env['HOME'], NOCTURNAL_HOME: f.home },
        stdio: 'pipe',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // The attempt is mid-flight once the model was asked: its worktree exists, its rows say running.
      // (The child's events reach us through a pipe, possibly after its request reached the model.)
      await until(
        () =>
          (f.server.chatRequests.length > 0 && stdout.includes('"type":"task-started"')) || child?.exitCode !== null,
        'the child host to ask the model',
      );
      expect(stderr).toBe('');
      expect(stdout).toContain('"type":"ready"');
      expect(stdout).toContain('"type":"task-started"');
      const worktrees = path.join(f.home, 'worktrees');
      const leftBehind = fs
        .readdirSync(worktrees, { recursive: true })
        .map(String)
        .filter((p) => p.endsWith('math.js'));
      expect(leftBehind).toHaveLength(1);

      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child?.once('exit', (_code, signal) => resolve(signal)),
      );
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      expect((await showTask(f, taskId)).status).toBe('running');

      // The next start (night mode off, so nothing runs by itself) cleans up before anything else.
      stall = false;
      host = await startEngineHost({
        home: f.home,
        env: { ...f.env, NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false' },
        kind: 'server',
      });
      const h = host;
      const interrupted = await showTask(f, taskId);
      expect(h.recovered?.sessions).toHaveLength(1);
      expect(h.recovered?.attempts).toEqual([interrupted.attempts[0]?.id]);
      expect(interrupted.status).toBe('queued');
      expect(interrupted.attempts[0]).toMatchObject({ status: 'interrupted' });
      expect(interrupted.attempts[0]?.reasons.at(-1)).toBe('interrupted: the session running it stopped');
      expect(
        fs
          .readdirSync(worktrees, { recursive: true })
          .map(String)
          .filter((p) => p.endsWith('math.js')),
      ).toEqual([]);
      expect((await f.repo.git('worktree', 'list', '--porcelain')).match(/^worktree /gm)).toHaveLength(1);
      expect(h.snapshot().status.lastSession).toMatchObject({
        status: 'stopped',
        endReason: 'the process running it stopped unexpectedly',
      });

      const session = await h.runNow();
      expect(session.stats).toMatchObject({ merged: 1, tasksDone: 1 });
      const done = await showTask(f, taskId);
      expect(done.status).toBe('merged');
      expect(done.attempts.map((a) => a.status)).toEqual(['interrupted', 'merged']);
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
    },
  );
});
