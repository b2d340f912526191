// Issue 8's promises about what lands and what is kept, through the real CLI on real repositories,
// sandboxed checks and the loopback OpenAI-compatible server: nothing merges unreviewed, undo is a
// real undo, the night's merge limit spans sessions, and the API key never leaves the process.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import { buggyMath, createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';
import { runCliCaptured } from './testing/run-cli-in-process';
import type { CliRun } from './testing/run-cli-in-process';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const fixAdd = { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' };
const addSub = {
  path: 'math.js',
  action: 'replace',
  search: 'module.exports = { add, mul };',
  replace: 'function sub(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add, mul, sub };',
};
// New behaviour merges only with a test that pins it down (the no-evidence gate of quality/score.ts).
const testSub = {
  path: 'test.js',
  action: 'replace',
  search: "console.log('all tests passed');",
  replace: "assert.strictEqual(require('./math.js').sub(5, 3), 2);\nconsole.log('all tests passed');",
};

async function setUp(respond: Responder, env: NodeJS.ProcessEnv = {}) {
  fixture = await createNightFixture({ respond, env });
  const added = await fixture.cli('workspace', 'add', fixture.repo.path, '--name', 'calc', '--test', 'node test.js');
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  return fixture;
}

async function addTask(f: NightFixture, title: string, ...extra: string[]): Promise<string> {
  // The task names math.js, so the prompt shows it and the scripted model can edit it.
  const run = await f.cli('task', 'add', 'calc', title, '--json', '--file', 'math.js', ...extra);
  expect(run.code).toBe(0);
  return run.json<{ id: string }>().id;
}

async function showTask(f: NightFixture, id: string): Promise<Task> {
  return (await f.cli('task', 'show', id, '--json')).json<Task>();
}

/** Only edits whose search text the prompt actually shows: a model edits what it sees. */
function editsFromPrompt(prompt: string, ...edits: Record<string, unknown>[]) {
  return editsReply(edits.filter((e) => typeof e['search'] !== 'string' || prompt.includes(e['search'])));
}

describe('no merge without evidence', () => {
  it('holds a change whose review call failed for a person, with a breakdown that adds up to the score', async () => {
    const f = await setUp((schema, prompt) =>
      schema === 'nocturnal_edits' ? editsFromPrompt(prompt, fixAdd) : { status: 500, message: 'reviewer crashed' },
    );
    const before = await f.userView();
    const id = await addTask(f, 'Fix add()');
    const run = await f.cli('run', '--now');
    expect(run.code).toBe(0);

    const task = await showTask(f, id);
    // Tests fixed (checks 1, progress 1), scope 1, no review: 1.0 on evidence alone — the old code
    // renormalised that into a merge.
    expect(task.status).toBe('review');
    const attempt = task.attempts[0];
    expect(attempt?.decision).toBe('review');
    expect(attempt?.scoreBreakdown).toEqual({
      checks: 1,
      progress: 1,
      review: null,
      scope: 1,
      weights: { checks: 0.625, progress: 0.188, review: 0, scope: 0.188 },
      contributions: { checks: 0.625, progress: 0.188, review: 0, scope: 0.188 },
      cap: -0.161,
      gates: [
        'review could not be obtained: capped below quality.auto_approve_threshold, the change waits for a person',
      ],
      total: 0.84,
    });
    expect(attempt?.score).toBe(0.84);
    expect(attempt?.reasons.join('\n')).toContain('review call failed');
    expect(await f.repo.git('branch', '--list', 'nocturnal/integration')).toBe('');
    const markdown = (await f.cli('report', '--markdown')).stdout;
    expect(markdown).toContain(
      'checks 1 × 0.625 = 0.625 + progress 1 × 0.188 = 0.188 + review (no evidence) 0 + scope 1 × 0.188 = 0.188 + cap -0.161 → total 0.84',
    );
    expect(await f.userView()).toEqual(before);
  });
});

describe('undo', () => {
  it('ends the attempt undone and the task rejected ("undone"); retry then runs the task again', async () => {
    const f = await setUp((schema, prompt) =>
      schema === 'nocturnal_edits' ? editsFromPrompt(prompt, addSub, testSub) : reviewReply(1),
    );
    await f.repo.commit({ 'math.js': buggyMath.replace('return a - b;', 'return a + b;') }, 'fix add');
    const before = await f.userView();
    const id = await addTask(f, 'Add sub()', '--file', 'test.js');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const merged = (await showTask(f, id)).attempts[0];
    expect(merged?.status).toBe('merged');

    const undone = await f.cli('undo', merged?.id ?? '');
    expect(undone.stderr).toBe('');
    expect(undone.code).toBe(0);
    const afterUndo = await showTask(f, id);
    expect(afterUndo.status).toBe('rejected');
    expect(afterUndo.statusReason).toBe('undone');
    expect(afterUndo.attempts[0]).toMatchObject({
      status: 'undone',
      mergedCommit: merged?.mergedCommit,
      endedAt: merged?.endedAt,
    });
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).not.toContain('function sub');
    // The report of the night says what happened since.
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    // A report is history: the session merged it; the task's state now is beside it.
    expect(report.tasks[0]).toMatchObject({
      taskId: id,
      status: 'merged',
      statusNow: 'rejected',
      attemptStatus: 'undone',
    });
    expect(report.notes.join()).toContain('1 change(s) merged in this session were undone since');
    const markdown = (await f.cli('report', '--markdown')).stdout;
    expect(markdown).toContain('Result: **merged, then undone**');
    expect(markdown).toContain(
      `Undone: this change was taken back off \`nocturnal/integration\` by \`nocturnal undo\`; the task can be retried with \`nocturnal retry ${id}\``,
    );
    // Undoing twice is refused with the reason.
    const again = await f.cli('undo', merged?.id ?? '');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is undone; only merged attempts can be undone');

    const retried = await f.cli('retry', id);
    expect(retried.stderr).toBe('');
    expect(retried.code).toBe(0);
    expect((await showTask(f, id)).status).toBe('queued');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const rerun = await showTask(f, id);
    expect(rerun.status).toBe('merged');
    expect(rerun.attempts.map((a) => a.status)).toEqual(['undone', 'merged']);
    expect((await f.repo.git('show', 'nocturnal/integration:math.js')).match(/function sub/g)).toHaveLength(1);
    expect(await f.userView()).toEqual(before);
  });

  it('says how to retry a merged task instead of refusing without a hint', async () => {
    const f = await setUp((schema, prompt) =>
      schema === 'nocturnal_edits' ? editsFromPrompt(prompt, fixAdd) : reviewReply(1),
    );
    const id = await addTask(f, 'Fix add()');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const refused = await f.cli('retry', id);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('`nocturnal undo` its attempt first');
  });
});

describe('scheduler.max_changes_per_night', () => {
  it('counts the merges of every session of the night, not just the current one', async () => {
    // A night that began 12 hours ago, so both runs below fall inside it whenever the test runs.
    const start = new Date(Date.now() - 12 * 3_600_000);
    const startTime = `${String(start.getUTCHours()).padStart(2, '0')}:${String(start.getUTCMinutes()).padStart(2, '0')}`;
    // The second attempt starts from the target, which holds sub() by then.
    const addDiv = {
      path: 'math.js',
      action: 'replace',
      search: 'module.exports = { add, mul, sub };',
      replace: 'function div(a, b) {\n  return a / b;\n}\n\nmodule.exports = { add, mul, sub, div };',
    };
    const testDiv = {
      path: 'test.js',
      action: 'replace',
      search: "console.log('all tests passed');",
      replace: "assert.strictEqual(require('./math.js').div(6, 3), 2);\nconsole.log('all tests passed');",
    };
    const f = await setUp(
      (schema, prompt) =>
        schema === 'nocturnal_edits'
          ? prompt.includes('Add div')
            ? editsFromPrompt(prompt, addDiv, testDiv)
            : editsFromPrompt(prompt, addSub, testSub)
          : reviewReply(1),
      {
        NOCTURNAL_SCHEDULER_MAX_CHANGES_PER_NIGHT: '1',
        NOCTURNAL_SCHEDULER_TIMEZONE: 'UTC',
        NOCTURNAL_SCHEDULER_START_TIME: startTime,
      },
    );
    // The user fixed add() on main, so every attempt starts green.
    await f.repo.commit({ 'math.js': buggyMath.replace('return a - b;', 'return a + b;') }, 'fix add');
    const first = await addTask(f, 'Add sub()', '--file', 'test.js');
    expect((await f.cli('run', '--now')).code).toBe(0);
    expect((await showTask(f, first)).status).toBe('merged');

    // A second session the same night: the one merge the night allows has been made.
    const second = await addTask(f, 'Add div()', '--file', 'test.js');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const held = await showTask(f, second);
    expect(held.status).toBe('review');
    expect(held.attempts[0]?.decision).toBe('held');
    expect(held.statusReason).toContain('scheduler.max_changes_per_night (1) reached');
    expect(held.attempts[0]?.score).toBeGreaterThanOrEqual(0.85);
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).not.toContain('function div');
  });
});

describe('secrets', () => {
  const key = 'nocturnal-live-key-6b1f0c2d9e8a7f31';
  const echoed = (request: { headers: Record<string, string | string[] | undefined> }) =>
    `Incorrect API key provided: ${String(request.headers['authorization'])}`;

  function allFiles(dir: string): string[] {
    return fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.join(e.parentPath, e.name));
  }

  function expectNoKey(runs: CliRun[], home: string) {
    for (const run of runs) {
      expect(run.stdout).not.toContain(key);
      expect(run.stderr).not.toContain(key);
    }
    // The database (with its WAL), the logs, the vault, the worktrees: every byte under the home.
    const files = allFiles(home);
    expect(files.some((f) => f.endsWith('nocturnal.db'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}logs${path.sep}`))).toBe(true);
    for (const file of files)
      expect({ file, hasKey: fs.readFileSync(file).includes(key) }).toEqual({ file, hasKey: false });
  }

  it('never stores, logs, reports or prints the key a server echoes back in its errors', async () => {
    const f = await setUp(
      (schema, prompt, request) => {
        if (prompt.includes('Rejected key task')) return { status: 401, message: echoed(request) };
        if (schema === 'nocturnal_edits') return editsFromPrompt(prompt, fixAdd);
        return { status: 500, message: `upstream failed for ${echoed(request)}` };
      },
      { NOCTURNAL_LLM_API_KEY_ENV: 'NOCTURNAL_TEST_API_KEY', NOCTURNAL_TEST_API_KEY: key },
    );
    const refused = await addTask(f, 'Rejected key task', '--priority', 'high');
    const unreviewed = await addTask(f, 'Fix add()');
    const runs: CliRun[] = [];
    const cli = async (...argv: string[]) => {
      const run = await runCliCaptured(['--home', f.home, '--verbose', ...argv], f.env);
      runs.push(run);
      return run;
    };
    expect((await cli('run', '--now')).code).toBe(0);

    // The server really did echo the key: the test would mean nothing otherwise.
    expect(f.server.chatRequests.some((r) => r.headers['authorization'] === `Bearer ${key}`)).toBe(true);
    const refusedTask = (await cli('task', 'show', refused, '--json')).json<Task>();
    expect(refusedTask.status).toBe('failed');
    expect(refusedTask.statusReason).toContain('Incorrect API key provided: Bearer [REDACTED]');
    const heldTask = (await cli('task', 'show', unreviewed, '--json')).json<Task>();
    expect(heldTask.status).toBe('review');
    expect(heldTask.attempts[0]?.reasons.join('\n')).toContain('[REDACTED]');
    await cli('report', '--json');
    await cli('report', '--markdown');
    await cli('review', 'list', '--json');
    await cli('status', '--json');
    expectNoKey(runs, f.home);
  });

  it('masks the key and key-shaped strings in prompts sent to a server that is not on this machine', async () => {
    const token = 'ghp_0123456789abcdefghijABCDEFGHIJ0123';
    const f = await setUp(
      (schema, prompt) => (schema === 'nocturnal_edits' ? editsFromPrompt(prompt, fixAdd) : reviewReply(1)),
      {
        NOCTURNAL_LLM_API_KEY_ENV: 'NOCTURNAL_TEST_API_KEY',
        NOCTURNAL_TEST_API_KEY: key,
      },
    );
    const description = `The deploy uses ${token}; our key is ${key}.`;
    await addTask(f, 'Fix add()', '--description', description);
    // 0.0.0.0 reaches the loopback server on Linux, but it is not a loopback name: the engine must
    // treat it as a remote server.
    const remoteUrl = f.server.url.replace('127.0.0.1', '0.0.0.0');
    const run = await runCliCaptured(['--home', f.home, 'run', '--now'], {
      ...f.env,
      NOCTURNAL_LLM_API_URL: remoteUrl,
    });
    expect(run.code).toBe(0);
    const sent = JSON.stringify(f.server.chatRequests.map((r) => r.body.messages));
    expect(f.server.chatRequests.length).toBeGreaterThan(0);
    expect(sent).toContain('The deploy uses [REDACTED]; our key is [REDACTED].');
    expect(sent).not.toContain(token);
    expect(sent).not.toContain(key);
    expectNoKey([run], f.home);
  });

  it('sends the prompt as it is to a server on this machine', async () => {
    const f = await setUp((schema, prompt) =>
      schema === 'nocturnal_edits' ? editsFromPrompt(prompt, fixAdd) : reviewReply(1),
    );
    await addTask(f, 'Fix add()', '--description', 'password=hunter2hunter2 is in the fixture');
    expect((await f.cli('run', '--now')).code).toBe(0);
    expect(JSON.stringify(f.server.chatRequests[0]?.body.messages)).toContain('password=hunter2hunter2');
  });
});
