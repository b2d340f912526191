// Usage errors exit 2 with a message naming the argument, everywhere: unknown ids and names, an empty
// --home, text over its limit or with control characters, an llm.api_url that is not http(s).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../engine/git/testing/temp-repo';
import type { TempRepo } from '../engine/git/testing/temp-repo';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
let userHome: string;
let repo: TempRepo;
beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-usage-'));
  userHome = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-user-'));
  repo = await createTempRepo({ files: { 'README.md': '# x\n' } });
});
afterEach(async () => {
  await repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(userHome, { recursive: true, force: true });
});

const cli = (...argv: string[]) =>
  runCliCaptured(['--home', home, ...argv], { HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config') });

async function withTask(): Promise<string> {
  expect((await cli('workspace', 'add', repo.path, '--name', 'calc', '--test', 'npm test')).code).toBe(0);
  const added = await cli('task', 'add', 'calc', 'Fix the adder', '--json');
  expect(added.code).toBe(0);
  return added.json<{ id: string }>().id;
}

describe('unknown ids and names are usage errors', () => {
  it.each([
    [['task', 'show', 'nope'], 'no task with id "nope"'],
    [['task', 'cancel', 'nope'], 'no task with id "nope"'],
    [['approve', 'nope'], 'no attempt with id "nope"'],
    [['reject', 'nope'], 'no attempt with id "nope"'],
    [['retry', 'nope'], 'no task with id "nope"'],
    [['undo', 'nope'], 'no attempt with id "nope"'],
    [['workspace', 'remove', 'nope'], 'no workspace named "nope"'],
    [['task', 'add', 'nope', 'A title'], 'no workspace named "nope"'],
    [['report', '--session', 'nope'], 'no session with id "nope"'],
  ])('%j exits 2 naming the argument', async (argv, message) => {
    await withTask();
    const run = await cli(...argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`nocturnal: ${message}`);
  });
});

describe('--home', () => {
  it.each([
    ['--home ""', ['--home', '', 'status'], {}],
    ['NOCTURNAL_HOME=""', ['status'], { NOCTURNAL_HOME: '' }],
  ] as [string, string[], NodeJS.ProcessEnv][])('%s is an error, not the default home', async (_label, argv, env) => {
    const run = await runCliCaptured(argv, { HOME: userHome, XDG_CONFIG_HOME: path.join(userHome, '.config'), ...env });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--home (or NOCTURNAL_HOME) is empty');
    // Nothing was created in the default home.
    expect(fs.readdirSync(userHome)).toEqual([]);
  });
});

describe('text fields have limits, checked in one place', () => {
  it.each([
    [['x'.repeat(201)], 'TITLE: the title is longer than 200 characters'],
    [['first line\nsecond line'], 'TITLE: the title contains a control character'],
    [['colour \u001b[31mred'], 'TITLE: the title contains a control character'],
    [['tab\there'], 'TITLE: the title contains a control character'],
    [['ok', '--description', 'd'.repeat(20_001)], '--description: the description is longer than 20000 characters'],
    [
      ['ok', '--description', 'bell \u0007'],
      '--description: the description contains a control character other than a line break or tab',
    ],
    [['ok', '--criteria', 'c'.repeat(1001)], '--criteria: a criterion is longer than 1000 characters'],
    [['ok', '--criteria', 'nul \u0000 here'], '--criteria: a criterion contains a control character'],
  ])('task add %#: exits 2 with %j', async (args, message) => {
    await withTask();
    const run = await cli('task', 'add', 'calc', ...args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`nocturnal: ${message}`);
    expect((await cli('task', 'list', '--json')).json<unknown[]>()).toHaveLength(1);
  });

  it('accepts a 200-character title and multi-line description and criteria', async () => {
    await withTask();
    const title = 't'.repeat(200);
    const run = await cli(
      'task',
      'add',
      'calc',
      title,
      '--description',
      'line one\n\tline two\r\n',
      '--criteria',
      'works\nreally',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const shown = await cli('task', 'show', run.json<{ id: string }>().id, '--json');
    expect(shown.json()).toMatchObject({ title, description: 'line one\n\tline two', criteria: ['works\nreally'] });
  });

  it('limits review notes on reject and retry', async () => {
    const taskId = await withTask();
    for (const argv of [
      ['retry', taskId, '--note', 'n'.repeat(4001)],
      ['reject', 'nope', '--note', 'escape \u001b]0;x\u0007'],
    ]) {
      const run = await cli(...argv);
      expect(run.code, argv[0]).toBe(2);
      expect(run.stderr).toMatch(
        /^nocturnal: --note: the note (is longer than 4000 characters|contains a control character)/,
      );
    }
  });
});

describe('llm.api_url', () => {
  it.each(['file:///etc/passwd', 'ftp://models.example.com/v1', 'javascript:alert(1)', 'localhost:1234'])(
    'refuses %j, naming the field',
    async (url) => {
      fs.writeFileSync(path.join(home, 'config.yaml'), `llm:\n  api_url: "${url}"\n`);
      const run = await cli('config', 'validate');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`llm.api_url: expected an http:// or https:// URL`);
      const viaEnv = await runCliCaptured(['--home', userHome, 'status'], {
        HOME: userHome,
        NOCTURNAL_LLM_API_URL: url,
      });
      expect(viaEnv.code).toBe(2);
      expect(viaEnv.stderr).toContain('llm.api_url');
    },
  );

  it.each(['http://127.0.0.1:1234/v1', 'https://api.example.com/v1'])('accepts %j', async (url) => {
    fs.writeFileSync(path.join(home, 'config.yaml'), `llm:\n  api_url: "${url}"\n`);
    expect((await cli('config', 'validate')).code).toBe(0);
  });
});
