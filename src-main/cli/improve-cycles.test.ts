// The improvement loop on a real repository through the CLI, with a scripted model that edits only
// what the prompt shows it (as a model would): each cycle must see the files as earlier cycles left
// them, the failure trimmed to what matters, and a missed search must come back with the real region.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import { buggyMath, createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/** The content of `file` as the prompt shows it, or null when the prompt does not show it. */
function shownFile(prompt: string, file: string): string | null {
  const match = new RegExp(`## ${file.replace('.', '\\.')}\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\``).exec(prompt);
  return match?.[1] ?? null;
}

async function night(
  respond: Responder,
  cycles: string,
  files?: Record<string, string>,
): Promise<{ f: NightFixture; task: Task; editPrompts: string[] }> {
  const f = await createNightFixture({
    respond,
    env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: cycles },
    ...(files ? { files } : {}),
  });
  fixture = f;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
  const id = (
    await f.cli('task', 'add', 'calc', 'Fix add()', '--json', '--criteria', 'add(2, 3) returns 5', '--file', 'math.js')
  ).json<{ id: string }>().id;
  const before = await f.userView();
  expect((await f.cli('run', '--now')).code).toBe(0);
  expect(await f.userView()).toEqual(before);
  const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
  const editPrompts = f.server.chatRequests
    .filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits')
    .map((r) => (r.body.messages ?? []).map((m) => m.content).join('\n'));
  return { f, task, editPrompts };
}

describe('each improvement cycle sees the truth', () => {
  it('fixes in two cycles when the second edit targets the line the first cycle wrote', async () => {
    const { f, task, editPrompts } = await night((schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(0.95);
      const math = shownFile(prompt, 'math.js') ?? '';
      // The model edits the line it is shown: the original bug first, then its own first try.
      if (math.includes('  return a - b;'))
        return editsReply(
          [
            {
              path: 'math.js',
              action: 'replace',
              search: '  return a - b;',
              replace: '  return a + b + 1; // first try',
            },
          ],
          'first try',
        );
      if (math.includes('  return a + b + 1; // first try'))
        return editsReply(
          [
            {
              path: 'math.js',
              action: 'replace',
              search: '  return a + b + 1; // first try',
              replace: '  return a + b;',
            },
          ],
          'second try',
        );
      return editsReply([], 'nothing I recognise');
    }, '2');

    expect(task.status).toBe('merged');
    expect(task.attempts[0]).toMatchObject({ status: 'merged', decision: 'merge', cycles: 1 });
    const merged = await f.repo.git('show', 'nocturnal/integration:math.js');
    expect(merged).toContain('  return a + b;\n');
    expect(merged).not.toContain('first try');
    expect(editPrompts).toHaveLength(2);
    // The second prompt shows what cycle 0 did and the failure cut to the assertion and repo frames.
    const second = editPrompts[1] ?? '';
    expect(second).toContain('cycle 0: "first try" changed math.js (+1 −1 lines); then test failed');
    expect(second).toContain('First failure:');
    expect(second).toContain('AssertionError');
    expect(second).toMatch(/Stack frames in the repository:\n.*test\.js:\d+/);
    expect(second).not.toContain(f.home);
  });

  it('never shows the next cycle what a check wrote, though the restore waits until that cycle', async () => {
    // The test rewrites the tracked math.js and leaves a new file every time it runs, pass or fail.
    const leavesDebris = [
      "const fs = require('node:fs');",
      "process.on('exit', () => {",
      // Spelled in two parts, so the prompt can show test.js without showing the marker.
      "  fs.appendFileSync('math.js', '// written by ' + 'the check\\n');",
      "  fs.writeFileSync('debris.txt', 'left by the check\\n');",
      '});',
      mathTest,
    ].join('\n');
    const { f, task, editPrompts } = await night(
      (schema, prompt) => {
        if (schema !== 'nocturnal_edits') return reviewReply(0.95);
        const math = shownFile(prompt, 'math.js') ?? '';
        if (math.includes('  return a - b;'))
          return editsReply(
            [{ path: 'math.js', action: 'replace', search: 'a - b;', replace: 'a + b + 1;' }],
            'first try',
          );
        if (math.includes('  return a + b + 1;'))
          return editsReply(
            [{ path: 'math.js', action: 'replace', search: 'a + b + 1;', replace: 'a + b;' }],
            'second try',
          );
        return editsReply([], 'nothing I recognise');
      },
      '2',
      { 'math.js': buggyMath, 'test.js': leavesDebris, 'README.md': '# calc\n' },
    );

    expect(editPrompts).toHaveLength(2);
    // The second cycle sees its first try exactly, without the line the check appended.
    expect(shownFile(editPrompts[1] ?? '', 'math.js')).toBe(buggyMath.replace('a - b;', 'a + b + 1;'));
    for (const prompt of editPrompts) expect(prompt).not.toContain('written by the check');
    expect(task.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toBe(
      buggyMath.replace('a - b;', 'a + b;').trimEnd(),
    );
    expect(await f.repo.git('ls-tree', '--name-only', 'nocturnal/integration')).toBe('README.md\nmath.js\ntest.js');
  });

  it('answers a missed search with the nearest numbered region, then allows a whole-file rewrite after two misses', async () => {
    const { f, task, editPrompts } = await night((schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(0.95);
      const math = shownFile(prompt, 'math.js');
      if (
        math !== null &&
        prompt.includes('You may now send one "write" edit with the complete new content of that file')
      ) {
        return editsReply(
          [{ path: 'math.js', action: 'write', content: math.replace('return a - b;', 'return a + b;') }],
          'rewrite',
        );
      }
      // A model that keeps misquoting the line.
      return editsReply(
        [
          {
            path: 'math.js',
            action: 'replace',
            search: 'function add(a, b) {\n  return a-b;\n}',
            replace: 'function add(a, b) {\n  return a + b;\n}',
          },
        ],
        'misquote',
      );
    }, '2');

    expect(editPrompts).toHaveLength(3);
    expect(editPrompts[1]).toContain(
      'the search text was not found in math.js. The closest region in the current file is:\n   1| function add(a, b) {\n   2|   return a - b;\n   3| }',
    );
    expect(editPrompts[1]).not.toContain('Whole-file rewrite allowed');
    expect(editPrompts[2]).toContain('Your search text missed twice in math.js');
    expect(task.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('  return a + b;\n');
  });
});

describe('failures no edit can fix', () => {
  it('end the attempt after zero model calls when the check command is not installed, naming the fix', async () => {
    const f = await createNightFixture({
      respond: (schema) =>
        schema === 'nocturnal_edits'
          ? editsReply([{ path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' }])
          : reviewReply(0.95),
    });
    fixture = f;
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'mocha-not-installed test.js')).code,
    ).toBe(0);
    const id = (await f.cli('task', 'add', 'calc', 'Fix add()', '--json')).json<{ id: string }>().id;
    expect((await f.cli('run', '--now')).code).toBe(0);

    const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
    expect(task.status).toBe('failed');
    expect(task.statusReason).toBe(
      "the test check (mocha-not-installed test.js) cannot run: mocha-not-installed: command not found (exit 127); install mocha-not-installed for the workspace (e.g. its dependencies with `npm install`) or change the workspace's test command",
    );
    expect(task.attempts[0]).toMatchObject({ status: 'failed', cycles: 0 });
    expect(f.server.chatRequests).toHaveLength(0);
  });
});

describe('a model server that is down', () => {
  it('stops the session with one reason and leaves every task queued', async () => {
    const f = await createNightFixture({ respond: () => reviewReply(1) });
    fixture = f;
    expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
    const first = (await f.cli('task', 'add', 'calc', 'Fix add()', '--json', '--priority', 'high')).json<{
      id: string;
    }>().id;
    const second = (await f.cli('task', 'add', 'calc', 'Add sub()', '--json')).json<{ id: string }>().id;
    await f.server.close();

    const run = await f.cli('run', '--now');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('connection refused');
    const show = async (id: string) => (await f.cli('task', 'show', id, '--json')).json<Task>();
    const one = await show(first);
    expect(one.status).toBe('queued');
    expect(one.attempts).toHaveLength(1);
    expect(one.attempts[0]?.status).toBe('interrupted');
    expect((await show(second)).status).toBe('queued');
    expect((await show(second)).attempts).toHaveLength(0);
    const report = (await f.cli('report', '--json')).json<SessionReport>();
    expect(report.session).toMatchObject({ status: 'stopped' });
    expect(report.session.endReason).toMatch(
      /^the model server is unreachable: cannot reach the OpenAI-compatible server at .*: connection refused .*; the session stopped and the queued tasks wait for the next one$/,
    );
    expect(report.session.stats).toMatchObject({ tasksDone: 0, failed: 0 });
  });
});
