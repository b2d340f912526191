// `nocturnal workspace edit NAME` on a real repository and home: checks, setup and branches change
// through workspaces:update; every bad value exits 2 naming the option and changes nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src-shared/domain/records';
import { createTempRepo } from '../engine/git/testing/temp-repo';
import type { TempRepo } from '../engine/git/testing/temp-repo';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
let repo: TempRepo;
beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-edit-'));
  repo = await createTempRepo({ files: { 'README.md': '# x\n', 'test.js': 'console.log("ok")\n' } });
  await repo.git('branch', 'develop');
  const added = await cli('workspace', 'add', repo.path, '--name', 'app', '--test', 'node test.js', '--no-check');
  expect(added.code).toBe(0);
});
afterEach(async () => {
  await repo.cleanup();
  fs.rmSync(home, { recursive: true, force: true });
});

const cli = (...argv: string[]) => runCliCaptured(['--home', home, ...argv]);
const workspace = async (): Promise<Workspace> => {
  const [only] = (await cli('workspace', 'list', '--json')).json<Workspace[]>();
  if (!only) throw new Error('expected the workspace');
  return only;
};

describe('nocturnal workspace edit', () => {
  it('changes checks, setup and branches, and says what changed', async () => {
    const run = await cli(
      'workspace',
      'edit',
      'app',
      '--lint',
      'node lint.js',
      '--test',
      'node test.js --verbose',
      '--base',
      'develop',
      '--target',
      'night/work',
      '--start-from',
      'base',
      '--setup',
      'npm ci',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'changed workspace "app":',
      '  base: main → develop',
      '  target: nocturnal/integration → night/work',
      '  start from: target → base',
      '  test: "node test.js" → "node test.js --verbose"',
      '  lint: (none) → "node lint.js"',
      '  setup: (detected) → "npm ci"',
      '',
    ]);
    expect(await workspace()).toMatchObject({
      baseBranch: 'develop',
      targetBranch: 'night/work',
      startFrom: 'base',
      checks: { test: 'node test.js --verbose', lint: 'node lint.js' },
      setupCommand: 'npm ci',
    });

    // An empty command drops a check; an empty setup goes back to the detected one.
    const dropped = await cli('workspace', 'edit', 'app', '--lint', '', '--setup', '');
    expect(dropped.code).toBe(0);
    expect(dropped.stdout).toContain('  lint: "node lint.js" → (none)');
    expect(await workspace()).toMatchObject({ checks: { test: 'node test.js --verbose' }, setupCommand: null });
  });

  it.each([
    [['--base', 'nope'], '--base: branch "nope" does not exist'],
    [['--target', 'bad..name'], '--target: "bad..name" is not a valid branch name'],
    [['--target', 'main'], '--target: the target branch must differ from the base branch "main"'],
    [['--start-from', 'middle'], '--start-from: expected "target" or "base", got "middle"'],
    [['--lint', 'eslint . && sudo rm -rf /'], '--lint: "eslint . && sudo rm -rf /" is refused by the command policy'],
    [
      ['--typecheck', 'tsc "unterminated'],
      '--typecheck: "tsc \\"unterminated" is refused by the command policy (rule unparsable)',
    ],
    [['--test', ''], 'needs at least one check command'],
    [['--lint', 'node lint.js', '--base', 'nope'], '--base: branch "nope" does not exist'],
    [[], 'nothing to change'],
  ])('%j exits 2 naming the field and changes nothing', async (flags, message) => {
    const before = await workspace();
    const run = await cli('workspace', 'edit', 'app', ...flags);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(await workspace()).toEqual(before);
  });

  it('exits 2 naming an unknown workspace', async () => {
    const run = await cli('workspace', 'edit', 'nope', '--test', 'npm test');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no workspace named "nope"');
  });
});
