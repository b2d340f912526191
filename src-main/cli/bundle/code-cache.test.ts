// The bundled CLI's code cache (code-cache.ts): a cache is used only for the bytes, Node and flags it
// was made for, a missing, foreign or rejected one is written again, and a folder that cannot hold one
// costs nothing but the saving. Each run compiles a copy of the script under another name, as a new
// process would: V8 would otherwise answer a second compile of the same file from its in-memory cache.
// Saves pass the process's age explicitly: this test process may be older than a quick command.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeCacheMaxUptimeSeconds, runWithCodeCache } from './code-cache';

let dir: string;
let runs = 0;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-code-cache-'));
  fs.writeFileSync(path.join(dir, 'dep.cjs'), 'exports.answer = 42;\n');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const script = (body: string) =>
  `${body}\nfunction square(n) { return n * n; }\nmodule.exports = { dep: require('./dep.cjs').answer, file: __filename, dir: __dirname, nine: square(3) };\n`;

/** Runs `source` as a freshly started process would: a new file name, the shared cache file. */
function runOnce(source: string, cacheFile = path.join(dir, 'cli.cjs.v8cache')) {
  const file = path.join(dir, `cli-${++runs}.cjs`);
  fs.writeFileSync(file, source);
  const run = runWithCodeCache(file, cacheFile);
  return { ...run, file };
}

describe('runWithCodeCache', () => {
  it('runs the script as Node runs a CommonJS module: require from its folder, __filename, __dirname', () => {
    const run = runOnce(script('// plain'));
    expect(run.exports).toEqual({ dep: 42, file: run.file, dir, nine: 9 });
  });

  it('compiles without a cache the first time, writes one, and the next run compiles from it', () => {
    const source = script('// first');
    const cacheFile = path.join(dir, 'cli.cjs.v8cache');
    const first = runOnce(source);
    expect(first.compiled).toBe('no-cache');
    expect(fs.existsSync(cacheFile)).toBe(false);
    first.saveIfNeeded(0);
    expect(fs.readFileSync(cacheFile, 'latin1')).toMatch(/^nocturnal-v8-cache [0-9a-f]{64}\n/);

    const second = runOnce(source);
    expect(second.compiled).toBe('from-cache');
    expect(second.exports).toEqual({ dep: 42, file: second.file, dir, nine: 9 });
    // A run that used the cache leaves it alone.
    const before = fs.statSync(cacheFile).mtimeMs;
    second.saveIfNeeded(0);
    expect(fs.statSync(cacheFile).mtimeMs).toBe(before);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('never hands V8 a cache made for other bytes of the same length, and replaces it', () => {
    // V8's own check compares only the length of the source: the key is what tells these two apart.
    const a = script('const which = "a";');
    const b = script('const which = "b";');
    expect(a.length).toBe(b.length);
    runOnce(a).saveIfNeeded(0);

    const other = runOnce(b);
    expect(other.compiled).toBe('other-key');
    other.saveIfNeeded(0);
    expect(runOnce(b).compiled).toBe('from-cache');
    expect(runOnce(a).compiled).toBe('other-key');
  });

  it('writes the cache again when V8 rejects it', () => {
    const source = script('// rejected');
    const cacheFile = path.join(dir, 'cli.cjs.v8cache');
    runOnce(source).saveIfNeeded(0);
    // The right key over data V8 cannot use (as a cache from another V8 build would be).
    const header = fs.readFileSync(cacheFile, 'latin1').split('\n')[0] ?? '';
    fs.writeFileSync(cacheFile, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), Buffer.alloc(4096, 7)]));

    const rejected = runOnce(source);
    expect(rejected.compiled).toBe('rejected');
    expect(rejected.exports).toEqual({ dep: 42, file: rejected.file, dir, nine: 9 });
    rejected.saveIfNeeded(0);
    expect(runOnce(source).compiled).toBe('from-cache');
  });

  it('leaves the cache to the next quick command after a long run (a night of `run`)', () => {
    const source = script('// long');
    const cacheFile = path.join(dir, 'cli.cjs.v8cache');
    const long = runOnce(source);
    long.saveIfNeeded(codeCacheMaxUptimeSeconds + 1);
    expect(fs.existsSync(cacheFile)).toBe(false);
    const quick = runOnce(source);
    expect(quick.compiled).toBe('no-cache');
    quick.saveIfNeeded(1);
    expect(runOnce(source).compiled).toBe('from-cache');
  });

  it('runs without a cache where none can be written', () => {
    const cacheFile = path.join(dir, 'no-such-folder', 'cli.cjs.v8cache');
    const run = runOnce(script('// unwritable'), cacheFile);
    expect(() => run.saveIfNeeded(0)).not.toThrow();
    expect(fs.existsSync(path.dirname(cacheFile))).toBe(false);
    expect(runOnce(script('// unwritable'), cacheFile).compiled).toBe('no-cache');
  });
});
