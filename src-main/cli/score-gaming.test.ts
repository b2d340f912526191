// Changes that game the score, through the real CLI on a real repository: deleting the failing assertion
// turns the check green but weakens the tests; a comment with a review of 0 shows no evidence the task is
// done. Neither may merge by itself: both wait for a person, and the breakdown says why, exactly.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { buggyMath, createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const weights = { checks: 0.5, progress: 0.15, review: 0.2, scope: 0.15 };

async function night(respond: Responder, files?: Record<string, string>): Promise<{ f: NightFixture; task: Task }> {
  const f = await createNightFixture({ respond, ...(files ? { files } : {}) });
  fixture = f;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
  const id = (
    await f.cli(
      'task',
      'add',
      'calc',
      'Fix add() so the test passes',
      '--json',
      '--criteria',
      'add(2, 3) returns 5',
      '--file',
      'math.js',
    )
  ).json<{ id: string }>().id;
  const before = await f.userView();
  expect((await f.cli('run', '--now')).code).toBe(0);
  expect(await f.userView()).toEqual(before);
  return { f, task: (await f.cli('task', 'show', id, '--json')).json<Task>() };
}

async function targetExists(f: NightFixture): Promise<boolean> {
  return (await f.repo.git('branch', '--list', 'nocturnal/integration')) !== '';
}

describe('a score that cannot be gamed', () => {
  it('never merges a change that makes the test pass by deleting its assertion', async () => {
    const { f, task } = await night((schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(1);
      // The model deletes the assertion it sees failing in the prompt.
      const failing = /assert\.strictEqual\(add\(2, 3\), 5\);\n/.exec(prompt)?.[0];
      return editsReply(failing ? [{ path: 'test.js', action: 'replace', search: failing, replace: '' }] : []);
    });
    expect(task.status).toBe('review');
    expect(task.attempts[0]).toMatchObject({ status: 'review', decision: 'review', score: 0.84 });
    // The terms add up to 0.925; the gate's cap takes 0.085 off, to just below auto-approve.
    expect(task.attempts[0]?.scoreBreakdown).toEqual({
      checks: 1,
      progress: 0.5,
      review: 1,
      scope: 1,
      weights,
      contributions: { checks: 0.5, progress: 0.075, review: 0.2, scope: 0.15 },
      cap: -0.085,
      gates: ['weakens the tests: removes 1 assertion(s) from test.js'],
      total: 0.84,
    });
    expect(task.attempts[0]?.checksAfter?.[0]?.passed).toBe(true);
    expect(await targetExists(f)).toBe(false);
  });

  it('never merges a comment-only change that the review scored 0', async () => {
    const fixedMath = buggyMath.replace('return a - b;', 'return a + b;');
    const { f, task } = await night(
      (schema) =>
        schema === 'nocturnal_edits'
          ? editsReply(
              [
                {
                  path: 'math.js',
                  action: 'replace',
                  search: 'function add(a, b) {',
                  replace: '// Adds two numbers.\nfunction add(a, b) {',
                },
              ],
              'document add',
            )
          : reviewReply(0, 'reject', ['only a comment; nothing was fixed']),
      { 'math.js': fixedMath, 'test.js': mathTest, 'README.md': '# calc\n' },
    );
    expect(task.attempts[0]?.scoreBreakdown).toEqual({
      checks: 1,
      progress: 0.5,
      review: 0,
      scope: 1,
      weights,
      contributions: { checks: 0.5, progress: 0.075, review: 0, scope: 0.15 },
      cap: 0,
      gates: [
        'no evidence the task is done: no failing check was fixed and no test was added for the task; the review scored 0 (below 0.5)',
      ],
      total: 0.725,
    });
    expect(task.attempts[0]).toMatchObject({ status: 'review', decision: 'review', score: 0.725 });
    expect(task.status).not.toBe('merged');
    expect(await targetExists(f)).toBe(false);
  });
});
