// Work that compounds: an attempt starts from the target branch when it exists and contains the base,
// so a task queued behind a merged fix builds on it; a workspace may ask to start from the base instead.
// The report says which.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const fixAdd = [{ path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' }];
// The second task's model edits the add() it is shown: it only fixes what is still broken.
const addSub = (prompt: string) => [
  ...(prompt.includes('  return a - b;\n}\n\nfunction mul') ? fixAdd : []),
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

async function twoTasks(
  ...workspaceFlags: string[]
): Promise<{ f: NightFixture; first: Task; second: Task; report: SessionReport }> {
  const f = await createNightFixture({
    respond: (schema, prompt) =>
      schema !== 'nocturnal_edits'
        ? reviewReply(0.95)
        : editsReply(prompt.includes('Add sub()') ? addSub(prompt) : fixAdd),
  });
  fixture = f;
  expect(
    (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', ...workspaceFlags)).code,
  ).toBe(0);
  const first = (
    await f.cli('task', 'add', 'calc', 'Fix add()', '--priority', 'high', '--json', '--file', 'math.js')
  ).json<{ id: string }>().id;
  const second = (await f.cli('task', 'add', 'calc', 'Add sub()', '--json', '--file', 'math.js')).json<{ id: string }>()
    .id;
  const before = await f.userView();
  expect((await f.cli('run', '--now')).code).toBe(0);
  expect(await f.userView()).toEqual(before);
  const show = async (id: string) => (await f.cli('task', 'show', id, '--json')).json<Task>();
  return {
    f,
    first: await show(first),
    second: await show(second),
    report: (await f.cli('report', '--json')).json<SessionReport>(),
  };
}

describe('attempts start where the merged work is', () => {
  it('starts the second task from the target that holds the first fix, and the report says so', async () => {
    const { f, first, second, report } = await twoTasks();
    const main = await f.repo.git('rev-parse', 'main');
    expect(first.attempts[0]).toMatchObject({ status: 'merged', baseCommit: main });
    expect(first.attempts[0]?.reasons[0]).toBe(
      `started from the base main (${main.slice(0, 12)}): nocturnal/integration does not exist yet`,
    );
    const afterFirst = first.attempts[0]?.mergedCommit ?? '';
    expect(second.attempts[0]).toMatchObject({ status: 'merged', baseCommit: afterFirst });
    expect(second.attempts[0]?.reasons[0]).toBe(
      `started from the target nocturnal/integration (${afterFirst.slice(0, 12)}), which contains main`,
    );
    // The second change is only sub(): the fix it stands on was already there.
    expect(await f.repo.git('diff', afterFirst, second.attempts[0]?.headCommit ?? '', '--', 'math.js')).not.toContain(
      'return a - b;\n-',
    );
    expect(await f.repo.git('diff', afterFirst, second.attempts[0]?.headCommit ?? '', '--', 'math.js')).not.toContain(
      '+  return a + b;',
    );
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('function sub');
    expect(report.tasks.find((t) => t.taskId === second.id)?.reasons[0]).toContain(
      'started from the target nocturnal/integration',
    );
  });

  it('starts every attempt from the base when the workspace says --start-from base', async () => {
    const { f, second } = await twoTasks('--start-from', 'base');
    const main = await f.repo.git('rev-parse', 'main');
    expect(second.attempts[0]?.baseCommit).toBe(main);
    expect(second.attempts[0]?.reasons[0]).toBe(
      `started from the base main (${main.slice(0, 12)}): the workspace starts attempts from the base`,
    );
  });

  it('refuses an unknown --start-from with exit 2, naming the flag', async () => {
    const f = await createNightFixture({ respond: () => reviewReply(1) });
    fixture = f;
    const run = await f.cli('workspace', 'add', f.repo.path, '--test', 'node test.js', '--start-from', 'tip');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--start-from: expected "target" or "base", got "tip"');
  });
});
