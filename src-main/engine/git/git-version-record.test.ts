// A start with the same git as last time spawns no `git version`; another git on PATH, or the same file
// rewritten, is asked again, and an old one is refused every time. Real git for the pass, real
// executables first on PATH for the others (they answer as those versions would).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkGitVersion } from './git-version';
import { checkGitVersionRecorded, gitOnPath } from './git-version-record';
import { observeGitSpawns } from './run-git';

let dir: string;
let record: string;
let savedPath: string | undefined;
let spawned: string[][];
let stopObserving: () => void;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-git-version-'));
  record = path.join(dir, 'home', 'git-version.json');
  savedPath = process.env['PATH'];
  spawned = [];
  stopObserving = observeGitSpawns((args) => spawned.push([...args]));
});
afterEach(() => {
  stopObserving();
  process.env['PATH'] = savedPath;
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A `git` first on PATH that answers `git version <version>`. */
function gitFirstOnPath(version: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const file = path.join(bin, 'git');
  fs.writeFileSync(file, `#!/bin/sh\necho "git version ${version}"\n`, { mode: 0o755 });
  process.env['PATH'] = `${bin}${path.delimiter}${savedPath ?? ''}`;
  return file;
}

const versionCalls = () => spawned.filter((args) => args.at(-1) === 'version').length;

describe('the recorded git version check', () => {
  it('asks the machine’s git once, then answers from the record while PATH leads to the same file', async () => {
    const direct = await checkGitVersion(dir);
    expect(direct.ok).toBe(true);
    spawned = [];
    const first = await checkGitVersionRecorded(dir, record);
    expect(first).toEqual(direct);
    expect(versionCalls()).toBe(1);
    expect(JSON.parse(fs.readFileSync(record, 'utf8'))).toMatchObject({
      executable: gitOnPath(process.env),
      version: first.ok ? first.version : null,
    });

    expect(await checkGitVersionRecorded(dir, record)).toEqual(direct);
    expect(await checkGitVersionRecorded(dir, record)).toEqual(direct);
    expect(versionCalls()).toBe(1);
  });

  it('asks again when another git comes first on PATH, and refuses an old one on every start', async () => {
    await checkGitVersionRecorded(dir, record);
    const before = fs.readFileSync(record, 'utf8');
    gitFirstOnPath('2.30.9');
    for (let i = 0; i < 2; i++) {
      expect(await checkGitVersionRecorded(dir, record)).toEqual({
        ok: false,
        version: '2.30.9',
        reason: 'git 2.30.9 is too old; Nocturnal Agent needs git 2.38.0 or newer',
      });
    }
    expect(versionCalls()).toBe(3);
    // The refusal is not recorded: the machine's git is still the one that passed.
    expect(fs.readFileSync(record, 'utf8')).toBe(before);
  });

  it('asks again when the file at the same path changed (an upgrade, or a downgrade)', async () => {
    const git = gitFirstOnPath('2.45.1');
    expect(await checkGitVersionRecorded(dir, record)).toEqual({ ok: true, version: '2.45.1' });
    expect(await checkGitVersionRecorded(dir, record)).toEqual({ ok: true, version: '2.45.1' });
    expect(versionCalls()).toBe(1);
    fs.writeFileSync(git, '#!/bin/sh\necho "git version 2.37.0"\n');
    expect(await checkGitVersionRecorded(dir, record)).toMatchObject({ ok: false, version: '2.37.0' });
    expect(versionCalls()).toBe(2);
  });

  it('works where the record cannot be written (a read-only home): git is asked every time', async () => {
    const blocked = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blocked, '');
    const unwritable = path.join(blocked, 'git-version.json');
    expect((await checkGitVersionRecorded(dir, unwritable)).ok).toBe(true);
    expect((await checkGitVersionRecorded(dir, unwritable)).ok).toBe(true);
    expect(versionCalls()).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['not-a-folder']);
  });

  it('finds git as a spawn does, and gives up (asks git every time) on a PATH with a relative entry', async () => {
    const git = gitFirstOnPath('2.45.1');
    expect(gitOnPath(process.env)).toBe(git);
    expect(gitOnPath({ PATH: `/nonexistent${path.delimiter}${path.dirname(git)}` })).toBe(git);
    expect(gitOnPath({ PATH: `.${path.delimiter}${path.dirname(git)}` })).toBeNull();
    expect(gitOnPath({ PATH: `${path.dirname(git)}${path.delimiter}` })).toBe(git);
    expect(gitOnPath({ PATH: `${path.delimiter}${path.dirname(git)}` })).toBeNull();
    expect(gitOnPath({ PATH: path.dirname(git) }, 'win32')).toBeNull();
    process.env['PATH'] = `bin${path.delimiter}${process.env['PATH'] ?? ''}`;
    expect((await checkGitVersionRecorded(dir, record)).ok).toBe(true);
    expect((await checkGitVersionRecorded(dir, record)).ok).toBe(true);
    expect(versionCalls()).toBe(2);
    expect(fs.existsSync(record)).toBe(false);
  });

  it('takes a damaged record for no record', async () => {
    fs.mkdirSync(path.dirname(record), { recursive: true });
    fs.writeFileSync(record, '{"executable": ');
    expect((await checkGitVersionRecorded(dir, record)).ok).toBe(true);
    expect(versionCalls()).toBe(1);
    expect((await checkGitVersionRecorded(dir, record)).ok).toBe(true);
    expect(versionCalls()).toBe(1);
  });
});
