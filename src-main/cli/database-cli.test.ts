// The database is the user's queue and history: never silently re-created, private to the user, and
// still readable from a home that cannot be written. Real files, the real CLI; the read-only home is a
// real read-only mount (bubblewrap) when running as root, whom permissions do not stop, and a folder
// without write permission otherwise.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../engine/git/testing/temp-repo';
import { openStore } from '../engine/store/store';
import { runCliCaptured } from './testing/run-cli-in-process';

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-db-'));
});
afterEach(() => {
  fs.chmodSync(home, 0o700);
  fs.rmSync(home, { recursive: true, force: true });
});

const dbFile = () => path.join(home, 'nocturnal.db');
const cli = (...argv: string[]) => runCliCaptured(['--home', home, ...argv]);
const digest = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('a damaged database is never re-created', () => {
  it('refuses a 0-byte nocturnal.db with exit 1, naming the file and what to do, and leaves it as it was', async () => {
    fs.writeFileSync(dbFile(), '');
    for (const command of [['status'], ['task', 'list'], ['workspace', 'list']]) {
      const run = await cli(...command);
      expect(run.code, command.join(' ')).toBe(1);
      expect(run.stderr).toContain(`the database ${dbFile()} cannot be used: it is empty (0 bytes)`);
      expect(run.stderr).toContain('Restore it from a backup');
      expect(run.stderr).toContain(`mv "${dbFile()}" "${dbFile()}.damaged"`);
    }
    expect(fs.statSync(dbFile()).size).toBe(0);
    expect(fs.existsSync(`${dbFile()}-wal`)).toBe(false);
  });

  it('refuses a file that is not SQLite', async () => {
    fs.writeFileSync(dbFile(), 'this is not a database\n');
    const before = digest(dbFile());
    const run = await cli('status');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the database ${dbFile()} cannot be used: it is not a SQLite database`);
    expect(digest(dbFile())).toBe(before);
  });

  it('refuses a SQLite file whose pages are damaged', async () => {
    expect((await cli('task', 'list')).code).toBe(0);
    const bytes = fs.readFileSync(dbFile());
    bytes.fill(0xa5, 100, Math.min(bytes.length, 4096));
    fs.writeFileSync(dbFile(), bytes);
    const run = await cli('task', 'list');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `the database ${dbFile().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be used: SQLite reports it damaged`,
      ),
    );
    expect(Buffer.compare(fs.readFileSync(dbFile()), bytes)).toBe(0);
  });
});

describe('the database file is private', () => {
  it('creates nocturnal.db, its -wal and its -shm as 0600, and narrows an existing one', async () => {
    expect((await cli('status')).code).toBe(0);
    expect(fs.statSync(dbFile()).mode & 0o777).toBe(0o600);

    const store = openStore(dbFile());
    try {
      store.db.prepare('CREATE TABLE IF NOT EXISTS probe (x)').run();
      for (const file of [dbFile(), `${dbFile()}-wal`, `${dbFile()}-shm`])
        expect(fs.statSync(file).mode & 0o777, file).toBe(0o600);
    } finally {
      store.close();
    }

    fs.chmodSync(dbFile(), 0o644);
    expect((await cli('status')).code).toBe(0);
    expect(fs.statSync(dbFile()).mode & 0o777).toBe(0o600);
  });
});

describe('a read-only home', () => {
  /** The real CLI in a child process that sees the home read-only. */
  function readOnlyCli(...argv: string[]): { code: number | null; stdout: string; stderr: string } {
    const nocturnal = [path.resolve('bin/nocturnal'), '--home', home, ...argv];
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) fs.chmodSync(home, 0o500);
    const command = asRoot ? 'bwrap' : process.execPath;
    const args = asRoot
      ? [
          '--bind',
          '/',
          '/',
          '--ro-bind',
          home,
          home,
          '--dev',
          '/dev',
          '--proc',
          '/proc',
          '--',
          process.execPath,
          ...nocturnal,
        ]
      : nocturnal;
    const run = spawnSync(command, args, {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    });
    if (!asRoot) fs.chmodSync(home, 0o700);
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('serves status, task list, task show and report, and says why a change cannot be made', async () => {
    const repo = await createTempRepo({ files: { 'README.md': '# x\n' } });
    try {
      expect((await cli('workspace', 'add', repo.path, '--name', 'calc', '--test', 'npm test')).code).toBe(0);
      const added = await cli('task', 'add', 'calc', 'Fix the adder', '--json');
      expect(added.code).toBe(0);
      const taskId = added.json<{ id: string }>().id;
      const before = digest(dbFile());

      const status = readOnlyCli('status');
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('queued');

      const list = readOnlyCli('task', 'list');
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('Fix the adder');

      const show = readOnlyCli('task', 'show', taskId);
      expect(show.code).toBe(0);
      expect(show.stdout).toContain('Fix the adder');

      const report = readOnlyCli('report');
      expect(report.stderr).toContain('no session has run yet');

      const change = readOnlyCli('task', 'add', 'calc', 'Another task');
      expect(change.code).toBe(1);
      expect(change.stderr).toMatch(
        /this command needs to write in the home, which is read-only: .*(read-only file system|permission denied).*Read commands \(status, task list/,
      );

      expect(digest(dbFile())).toBe(before);
      expect((await cli('task', 'list')).stdout).not.toContain('Another task');
    } finally {
      await repo.cleanup();
    }
  }, 120_000);

  it('says why when the read-only home has no database yet', () => {
    const run = readOnlyCli('status');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`there is no database at ${dbFile()}, and it cannot be created because`);
  });
});
