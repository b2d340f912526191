// The engine refuses to start on a git too old for what it does (merge-tree --write-tree needs 2.38),
// with a sentence a person can act on, instead of failing in the middle of a night. The old git here is
// a real executable first on PATH that answers like git 2.30 would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observeGitSpawns } from '../engine/git/run-git';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
let fakeBin: string;
let savedPath: string | undefined;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-cli-'));
  fakeBin = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-old-git-'));
  savedPath = process.env['PATH'];
});
afterEach(() => {
  process.env['PATH'] = savedPath;
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(fakeBin, { recursive: true, force: true });
});

describe('the git version check at engine start', () => {
  it('refuses to start on git 2.30 and says which version is needed and why', async () => {
    fs.writeFileSync(path.join(fakeBin, 'git'), '#!/bin/sh\necho "git version 2.30.9"\n', { mode: 0o755 });
    process.env['PATH'] = `${fakeBin}${path.delimiter}${savedPath ?? ''}`;
    const run = await runCliCaptured(['--home', home, 'task', 'list']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'git 2.30.9 is too old; Nocturnal Agent needs git 2.38.0 or newer (merges use `git merge-tree --write-tree`, new in git 2.38). Install a newer git, or put it first on PATH.',
    );
  });

  it('starts on the git of this machine', async () => {
    const run = await runCliCaptured(['--home', home, 'task', 'list']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('asks that git once: later read commands start no git at all, and an old git put first on PATH is still refused', async () => {
    const spawned: string[][] = [];
    const stop = observeGitSpawns((args) => spawned.push([...args]));
    try {
      expect((await runCliCaptured(['--home', home, 'task', 'list'])).code).toBe(0);
      expect(spawned.map((args) => args.at(-1))).toEqual(['version']);
      for (const argv of [['status'], ['task', 'list'], ['task', 'list', '--json']]) {
        const run = await runCliCaptured(['--home', home, ...argv]);
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
      }
      expect(spawned).toHaveLength(1);

      fs.writeFileSync(path.join(fakeBin, 'git'), '#!/bin/sh\necho "git version 2.30.9"\n', { mode: 0o755 });
      process.env['PATH'] = `${fakeBin}${path.delimiter}${savedPath ?? ''}`;
      const refused = await runCliCaptured(['--home', home, 'status']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('git 2.30.9 is too old');
    } finally {
      stop();
    }
  });
});
