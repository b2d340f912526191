// Environment failures that appear only after the model's change, on a real repository through the CLI:
// a package the change imported goes back to the model (not installed, no new dependencies), which then
// does without it; a command that vanished ends the attempt without another model cycle.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { buggyMath, createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture, Responder } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

function shownFile(prompt: string, file: string): string | null {
  return new RegExp(`## ${file.replace('.', '\\.')}\\n\`\`\`\\n([\\s\\S]*?)\\n\`\`\``).exec(prompt)?.[1] ?? null;
}

async function night(
  respond: Responder,
  files: Record<string, string>,
  testCommand: string,
): Promise<{ f: NightFixture; task: Task; editPrompts: string[] }> {
  const f = await createNightFixture({ respond, files, env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '2' } });
  fixture = f;
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', testCommand)).code).toBe(0);
  const id = (await f.cli('task', 'add', 'calc', 'Fix add()', '--json', '--file', 'math.js')).json<{ id: string }>().id;
  expect((await f.cli('run', '--now')).code).toBe(0);
  const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
  const editPrompts = f.server.chatRequests
    .filter((r) => r.body.response_format?.json_schema?.name === 'nocturnal_edits')
    .map((r) => (r.body.messages ?? []).map((m) => m.content).join('\n'));
  return { f, task, editPrompts };
}

describe('environment failures after the change', () => {
  it('tells the model a package it imported is not installed, and the fix without it lands', async () => {
    const { f, task, editPrompts } = await night(
      (schema, prompt) => {
        if (schema !== 'nocturnal_edits') return reviewReply(0.95);
        const math = shownFile(prompt, 'math.js') ?? '';
        // First the model reaches for a package; told it is not installed, it does without.
        if (math.includes('  return a - b;'))
          return editsReply(
            [
              {
                path: 'math.js',
                action: 'replace',
                search: 'function add(a, b) {\n  return a - b;',
                replace: "const sum = require('lodash.sum');\nfunction add(a, b) {\n  return sum([a, b]);",
              },
            ],
            'use lodash.sum',
          );
        if (prompt.includes('your change imports lodash.sum, which is not installed')) {
          return editsReply(
            [
              {
                path: 'math.js',
                action: 'replace',
                search: "const sum = require('lodash.sum');\nfunction add(a, b) {\n  return sum([a, b]);",
                replace: 'function add(a, b) {\n  return a + b;',
              },
            ],
            'plain addition',
          );
        }
        return editsReply([], 'nothing I recognise');
      },
      { 'math.js': buggyMath, 'test.js': mathTest },
      'node test.js',
    );
    expect(editPrompts).toHaveLength(2);
    expect(editPrompts[1]).toContain(
      'Check "test" (node test.js) fails because your change imports lodash.sum, which is not installed in this workspace. You may not add dependencies: make the change with the language\'s standard library and the packages the project already uses, and remove the import of lodash.sum.',
    );
    expect(task.status).toBe('merged');
    expect(await f.repo.git('show', 'nocturnal/integration:math.js')).toContain('  return a + b;\n');
  });

  it('ends the attempt when a command the base ran is gone after the change, with no further model cycle', async () => {
    const { task, editPrompts } = await night(
      (schema, prompt) => {
        if (schema !== 'nocturnal_edits') return reviewReply(0.95);
        const math = shownFile(prompt, 'math.js') ?? '';
        if (!math.includes('  return a - b;')) return editsReply([], 'nothing I recognise');
        // A "cleanup" that removes the tool the check runs.
        return editsReply(
          [
            { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' },
            { path: 'tools/run-tests', action: 'delete' },
          ],
          'fix add, drop old tool',
        );
      },
      { 'math.js': buggyMath, 'test.js': mathTest, 'tools/run-tests': '#!/bin/sh\nexec node test.js\n' },
      'chmod +x tools/run-tests 2>/dev/null; tools/run-tests',
    );
    expect(editPrompts).toHaveLength(1);
    expect(task.status).toBe('failed');
    expect(task.attempts[0]).toMatchObject({ status: 'failed', cycles: 0 });
    expect(task.statusReason).toMatch(
      /^after the change, the test check \(.*\) cannot run: tools\/run-tests: command not found \(exit 127\); .*the base commit ran it, so no edit is asked to fix it$/,
    );
  });
});
