import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRegularFile } from './safe-write';

const run = promisify(execFile);
let dir: string;

beforeEach(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-safe-write-')));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const wholeSecond = (ms: number): number => Math.floor(ms / 1000);

describe('writeRegularFile: modification time', () => {
  it('moves a rewritten file to a later whole second than it had, even when its old time is ahead of the clock', async () => {
    const file = join(dir, 'calc.py');
    await writeFile(file, 'x = a - b\n');
    // The old time lies in a second the clock has not reached: a plain rewrite would land in an
    // earlier or the same second, and a (size, second) cache would see nothing new.
    const ahead = wholeSecond(Date.now()) + 5.25;
    await utimes(file, ahead, ahead);

    await writeRegularFile(file, 'x = a + b\n');

    expect(await readFile(file, 'utf8')).toBe('x = a + b\n');
    expect(wholeSecond((await stat(file)).mtimeMs)).toBe(wholeSecond(ahead * 1000) + 1);
  });

  it('leaves a new file, and a rewrite that already lands in a later second, at the time the write gave them', async () => {
    const fresh = join(dir, 'new.txt');
    const before = Date.now();
    await writeRegularFile(fresh, 'hello\n');
    expect((await stat(fresh)).mtimeMs).toBeLessThanOrEqual(Date.now() + 1);
    expect((await stat(fresh)).mtimeMs).toBeGreaterThanOrEqual(before - 1000);

    const old = join(dir, 'old.txt');
    await writeFile(old, 'one\n');
    await utimes(old, 1_600_000_000, 1_600_000_000);
    const rewriteStart = Date.now();
    await writeRegularFile(old, 'two\n');
    const mtime = (await stat(old)).mtimeMs;
    expect(mtime).toBeGreaterThanOrEqual(rewriteStart - 1000);
    expect(mtime).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('a same-size fix written in the second Python compiled the old source is not run from the stale .pyc', async () => {
    await writeFile(join(dir, 'calc.py'), 'def add(a, b):\n    return a - b\n');
    const env = { ...process.env };
    delete env.PYTHONDONTWRITEBYTECODE;
    const result = async (): Promise<string> =>
      (await run('python3', ['-c', 'import calc; print(calc.add(2, 3))'], { cwd: dir, env })).stdout.trim();
    // Start early in a second so the compile and the fix share it, as a baseline check and a fast
    // edit do (Python keys its bytecode on the source's size and whole-second mtime).
    while (Date.now() % 1000 > 150) await new Promise((resolve) => setTimeout(resolve, 20));
    const second = wholeSecond(Date.now());
    await utimes(join(dir, 'calc.py'), second, second);
    expect(await result()).toBe('-1');

    await writeRegularFile(join(dir, 'calc.py'), 'def add(a, b):\n    return a + b\n');

    expect(await result()).toBe('5');
  });
});
