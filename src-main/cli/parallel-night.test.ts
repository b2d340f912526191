// Parallel attempts end to end (issue 12 "Parallel attempts"; DESIGN §4 "several attempts of one
// task, best evidence wins"): a real night through the CLI with parallel.max_parallel_attempts 3 on a
// real repository, sandboxed checks and a loopback model server whose scripted model answers from the
// prompt and writes a different quality of edit per variant, told apart by the sampling temperature
// each variant asks for: the coolest adds needless comment lines around the fix, the middle one fixes
// the operator cleanly, the hottest (the spec executor) multiplies instead. The clean fix must land;
// the others are closed as having lost to it, their worktrees and branches gone.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../scripts/tiny-model-fixture';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import type { ScriptedReply } from '../engine/llm/testing/loopback-openai-server';
import { createNightFixture, unexpectedStderr } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** The subtraction line as the prompt shows math.js, or undefined when it shows none. */
function subtractionIn(prompt: string): string | undefined {
  const block = /## math\.js\n```\n([\s\S]*?)\n```/.exec(prompt);
  return block?.[1]?.split('\n').find((l) => /return a - b;/.test(l));
}

/** A model whose care depends on its temperature (llm.temperature 0.2, then +0.3 per variant). */
function variedModel(schema: string, prompt: string, temperature: number): ScriptedReply {
  if (schema === 'nocturnal_spec') {
    return {
      content: {
        requirements: ['add() returns the sum'],
        acceptance_criteria: ['add(2, 3) returns 5'],
        plan: ['change the operator in add()'],
        files: ['math.js'],
      },
    };
  }
  if (schema === 'nocturnal_edits') {
    const line = subtractionIn(prompt);
    if (line === undefined) return { content: { summary: 'math.js shows no subtraction to change', edits: [] } };
    const replace =
      temperature < 0.35
        ? `  // add used to subtract\n  // it now adds its two arguments\n${line.replace(' - ', ' + ')}`
        : temperature < 0.65
          ? line.replace(' - ', ' + ')
          : line.replace(' - ', ' * ');
    return {
      content: {
        summary: `change the operator of add() at temperature ${temperature}`,
        edits: [{ path: 'math.js', action: 'replace', search: line, replace }],
      },
    };
  }
  if (schema === 'nocturnal_review') {
    // The reviewer reads the diff it is shown.
    if (!/^\+\s*return a \+ b;/m.test(prompt))
      return { content: { score: 0, verdict: 'reject', issues: ['add() still does not add'] } };
    if (/^\+\s*\/\//m.test(prompt))
      return { content: { score: 0.6, verdict: 'revise', issues: ['the comments restate the code'] } };
    return { content: { score: 0.95, verdict: 'approve', issues: [] } };
  }
  return { status: 400, message: `no scripted answer for ${schema}` };
}

describe('parallel attempts in a night', () => {
  it(
    'runs three varied attempts of a task, lands the one with the best evidence and closes the others',
    { timeout: 300_000 },
    async () => {
      const f = await createNightFixture({
        respond: (schema, prompt, request) => variedModel(schema, prompt, Number(request.body['temperature'])),
        env: { NOCTURNAL_PARALLEL_MAX_PARALLEL_ATTEMPTS: '3' },
      });
      fixture = f;
      expect(
        (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
      ).toBe(0);
      const before = await f.userView();
      const added = await f.cli(
        'task',
        'add',
        'calc',
        'Fix add()',
        '--criteria',
        'add(2, 3) returns 5',
        '--file',
        'math.js',
        '--json',
      );
      const id = added.json<{ id: string }>().id;

      const run = await f.cli('run', '--now');
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);

      const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
      expect(task.status).toBe('merged');
      const byNumber = (n: number) => task.attempts.find((a) => a.branch === `nocturnal/${id}/${n}`);
      const [careless, clean, wrong] = [byNumber(1), byNumber(2), byNumber(3)];
      if (!careless || !clean || !wrong)
        throw new Error(`expected three attempts, got ${task.attempts.map((a) => a.branch).join(', ')}`);

      // Each variant asked at its own temperature, and the hottest planned first (the spec executor).
      const asked = f.server.requests
        .filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits')
        .map((r) => Number(r.body['temperature']));
      expect(new Set(asked)).toEqual(new Set([0.2, 0.5, 0.8]));
      expect(
        f.server.requests
          .filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_spec')
          .map((r) => Number(r.body['temperature'])),
      ).toEqual([0.8]);

      // One baseline run served all three (the same measured result, to the millisecond).
      expect(task.attempts.map((a) => a.checksBefore?.[0]?.passed)).toEqual([false, false, false]);
      expect(new Set(task.attempts.map((a) => a.checksBefore?.[0]?.durationMs)).size).toBe(1);

      // The clean fix won and landed; the reasons say why it was chosen.
      expect(clean).toMatchObject({ status: 'merged', decision: 'merge' });
      expect(clean.score).toBeGreaterThanOrEqual(0.85);
      expect(clean.reasons.join('\n')).toContain('chosen: best by evidence of 3 parallel attempts');
      expect(clean.diff).toMatchObject({ insertions: 1, deletions: 1 });
      // The careless one scored lower and lost to it, keeping its evidence for the report.
      expect(careless.status).toBe('rejected');
      expect(careless.decision).toBe('lost');
      expect(careless.score).not.toBeNull();
      expect(careless.score ?? 1).toBeLessThan(clean.score ?? 0);
      expect(careless.reasons.at(-1)).toBe(
        `lost to attempt ${clean.id} (variant 2): score ${careless.score?.toFixed(3)} vs ${clean.score?.toFixed(3)}`,
      );
      expect(careless.diff).toMatchObject({ insertions: 3, deletions: 1 });
      // The wrong one failed its own checks and was rejected on its own; it also names the winner.
      expect(wrong.status).toBe('rejected');
      expect(wrong.decision).not.toBe('merge');
      expect(wrong.checksAfter?.[0]?.passed).toBe(false);
      expect(wrong.reasons.at(-1)).toMatch(new RegExp(`^lost to attempt ${clean.id} \\(variant 2\\): score`));

      // Only the winner's change is on the target.
      expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toBe(
        'function add(a, b) {\n  return a + b;\n}\n\nfunction mul(a, b) {\n  return a * b;\n}\n\nmodule.exports = { add, mul };',
      );
      // The losers' branches are gone, kept reachable behind backup refs; every worktree is gone.
      const heads = await f.repo.git('for-each-ref', '--format=%(refname)', `refs/heads/nocturnal/${id}/`);
      expect(heads.split('\n').filter(Boolean)).toEqual([`refs/heads/nocturnal/${id}/2`]);
      const backups = await f.repo.git('for-each-ref', '--format=%(refname)', 'refs/nocturnal/backups/');
      expect(backups).toContain(`refs/nocturnal/backups/${careless.id}/`);
      expect(backups).toContain(`refs/nocturnal/backups/${wrong.id}/`);
      expect(
        fs
          .readdirSync(path.join(f.home, 'worktrees'), { recursive: true })
          .filter((p) => String(p).endsWith('math.js')),
      ).toEqual([]);
      expect(await f.repo.git('worktree', 'list', '--porcelain')).not.toContain(f.home);
      // Nothing waits for review: the losers are closed, not held.
      expect((await f.cli('review', 'list', '--json')).json<unknown[]>()).toEqual([]);

      // The report shows all three attempts, which won and why the others lost.
      const report = (await f.cli('report', '--json')).json<SessionReport>();
      expect(report.session.stats).toMatchObject({ tasksDone: 1, merged: 1, rejected: 0 });
      expect(report.tasks.map((t) => [t.attemptId, t.status, t.decision])).toEqual(
        expect.arrayContaining([
          [clean.id, 'merged', 'merge'],
          [careless.id, 'rejected', 'lost'],
          [wrong.id, 'rejected', wrong.decision],
        ]),
      );
      expect(report.tasks).toHaveLength(3);
      const markdown = (await f.cli('report', '--markdown')).stdout;
      expect(markdown).toContain(`lost to attempt ${clean.id}`);
      expect(markdown).toContain('best by evidence of 3 parallel attempts');

      expect(await f.userView()).toEqual(before);
    },
  );

  it('shares one loaded embedded model between the attempts through its sequences', { timeout: 300_000 }, async () => {
    const modelPath = await ensureTinyModel();
    const f = await createNightFixture({
      respond: () => ({ status: 500, message: 'the OpenAI-compatible server must not be used in this test' }),
      env: {
        NOCTURNAL_LLM_PROVIDER: 'llama',
        NOCTURNAL_LLM_MODEL_PATH: modelPath,
        NOCTURNAL_LLM_GPU: 'false',
        NOCTURNAL_LLM_THREADS: '1',
        NOCTURNAL_LLM_CONTEXT_SIZE: '4096',
        NOCTURNAL_LLM_MAX_TOKENS: '200',
        NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
        NOCTURNAL_PARALLEL_MAX_PARALLEL_ATTEMPTS: '2',
      },
    });
    fixture = f;
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
    ).toBe(0);
    const before = await f.userView();
    const id = (await f.cli('task', 'add', 'calc', 'Fix add()', '--json')).json<{ id: string }>().id;

    const run = await f.cli('run', '--now');
    expect(unexpectedStderr(run.stderr)).toEqual([]);
    expect(run.code).toBe(0);

    // One model, loaded once, with a sequence per parallel attempt.
    const logs = fs
      .readdirSync(path.join(f.home, 'logs'))
      .map((file) => fs.readFileSync(path.join(f.home, 'logs', file), 'utf8'))
      .join('');
    const loads = logs
      .split('\n')
      .filter((line) => line.includes('"model loaded"'))
      .map((line) => JSON.parse(line) as { sequences: number });
    expect(loads.map((l) => l.sequences)).toEqual([2]);
    expect(f.server.chatRequests).toHaveLength(0);

    const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
    expect(task.attempts).toHaveLength(2);
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    // Both attempts asked the model (the tiny model's replies are nonsense, so either may win).
    expect(report.tasks).toHaveLength(2);
    for (const entry of report.tasks) expect(entry.tokens.completion).toBeGreaterThan(0);
    const winner = task.attempts.find((a) => a.reasons.some((r) => r.startsWith('chosen: ')));
    const loser = task.attempts.find((a) => a !== winner);
    if (!winner || !loser)
      throw new Error(`expected a chosen attempt: ${JSON.stringify(task.attempts.map((a) => a.reasons))}`);
    expect(task.status).toBe(winner.status);
    expect(loser.reasons.at(-1)).toMatch(new RegExp(`^lost to attempt ${winner.id} \\(variant \\d\\): `));
    expect(['rejected', 'failed']).toContain(loser.status);
    // The loser's branch is gone; the winner's stays only if it waits for review.
    const heads = (await f.repo.git('for-each-ref', '--format=%(refname:short)', `refs/heads/nocturnal/${id}/`))
      .split('\n')
      .filter(Boolean);
    expect(heads).toEqual(winner.status === 'review' ? [winner.branch] : []);
    expect(await f.userView()).toEqual(before);
  });
});
