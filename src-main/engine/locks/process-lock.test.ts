// The process lock with real processes: a holder killed with SIGKILL leaves a lock file (and its
// owner file) behind, and several processes started together race for it. Exactly one may win; the
// old pid-file locks let two in when both judged the dead holder's file stale.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readProcessLockHolder, tryAcquireProcessLock } from './process-lock';

const moduleFile = path.resolve('src-main/engine/locks/process-lock.ts');
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A child that tries for the lock at `startAt` (ms since epoch), holds a win for `holdMs`, and says which. */
function racer(file: string, startAt: number, holdMs: number): Promise<string> {
  const script = `
    import { tryAcquireProcessLock } from ${JSON.stringify(moduleFile)};
    while (Date.now() < ${startAt}) {}
    const attempt = tryAcquireProcessLock(${JSON.stringify(file)}, 'race');
    process.stdout.write(attempt.acquired ? 'won' : 'lost:' + (attempt.holder?.pid ?? 'unknown'));
    if (attempt.acquired) setTimeout(() => attempt.lock.release(), ${holdMs});`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 60_000,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`racer exited ${code}: ${err}`))));
  });
}

function killedHolder(file: string): void {
  const run = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `
    import { tryAcquireProcessLock } from ${JSON.stringify(moduleFile)};
    if (!tryAcquireProcessLock(${JSON.stringify(file)}, 'doomed').acquired) process.exit(3);
    process.kill(process.pid, 'SIGKILL');`,
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.signal, run.stderr).toBe('SIGKILL');
}

describe('process lock', () => {
  it('lets exactly one of several processes racing for a lock left by a killed holder win', async () => {
    const file = path.join(dir, 'engine.lock');
    killedHolder(file);
    // What the killed holder left: the lock file and its owner file naming a dead process.
    expect(fs.existsSync(file)).toBe(true);
    expect(JSON.parse(fs.readFileSync(`${file}.owner`, 'utf8'))).toMatchObject({ purpose: 'doomed' });
    expect(readProcessLockHolder(file)).toBeUndefined();

    // Each racer holds a win for 3 s, longer than the spread of their start: a loser saw it held.
    const startAt = Date.now() + 2500;
    const results = await Promise.all(Array.from({ length: 4 }, () => racer(file, startAt, 3000)));
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r.startsWith('lost:'))).toHaveLength(3);
  }, 60_000);

  it('refuses a second holder in the same process and names the first; release lets the next in', () => {
    const file = path.join(dir, 'model.gguf.download.lock');
    const first = tryAcquireProcessLock(file, 'download of model.gguf');
    expect(first.acquired).toBe(true);
    const second = tryAcquireProcessLock(file, 'download of model.gguf');
    expect(second).toEqual({
      acquired: false,
      holder: expect.objectContaining({ pid: process.pid, purpose: 'download of model.gguf' }),
    });
    if (first.acquired) first.lock.release();
    expect(fs.existsSync(`${file}.owner`)).toBe(false);
    const third = tryAcquireProcessLock(file, 'again');
    expect(third.acquired).toBe(true);
    if (third.acquired) third.lock.release();
  });
});
