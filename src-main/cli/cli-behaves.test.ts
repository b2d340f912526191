// The CLI behaves like the tools developers know: `--version`, and output into a pipe whose reader
// stops early (`| head -1`) ends quietly. The pipe tests run the real bin in a real shell pipeline.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { guardClosedPipe } from './closed-pipe';
import { runCliCaptured } from './testing/run-cli-in-process';

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/nocturnal.js');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

let scratch: string;
beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-behaves-'));
});
afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Runs `nocturnal ARGS | READER` in sh; returns what the reader printed, nocturnal's stderr and exit status. */
function piped(args: string, reader: string): { shown: string; stderr: string; code: number } {
  const errFile = path.join(scratch, 'stderr');
  const codeFile = path.join(scratch, 'code');
  const home = path.join(scratch, 'home');
  const script = `{ "${process.execPath}" "${bin}" --home "${home}" ${args} 2>"${errFile}"; echo $? >"${codeFile}"; } | ${reader}`;
  const shown = execFileSync('sh', ['-c', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { PATH: process.env['PATH'], HOME: scratch },
  });
  return { shown, stderr: fs.readFileSync(errFile, 'utf8'), code: Number(fs.readFileSync(codeFile, 'utf8').trim()) };
}

describe('nocturnal --version', () => {
  it('prints the product version from package.json and exits 0', async () => {
    for (const flag of ['--version', '-V']) {
      const run = await runCliCaptured([flag]);
      expect(run.stdout).toBe(`${version}\n`);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
  });
});

describe('output into a closed pipe', () => {
  it('`config show | head -1` shows the first line, with no EPIPE trace, exit 0 or 141', () => {
    const run = piped('config show', 'head -1');
    expect(run.shown).toBe(`# ${path.join(scratch, 'home', 'config.yaml')} (not created yet: defaults)\n`);
    expect(run.stderr).toBe('');
    expect([0, 141]).toContain(run.code);
  });

  it('a reader that is gone before the first write (`| true`) ends it quietly as well', () => {
    const run = piped('config show', 'true');
    expect(run.shown).toBe('');
    expect(run.stderr).toBe('');
    expect([0, 141]).toContain(run.code);
  });

  it('drops what is written after the reader left, and reports the pipe closed', () => {
    const target = new PassThrough();
    const received: string[] = [];
    target.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    const guarded = guardClosedPipe(target);
    guarded.stream.write('first\n');
    target.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    guarded.stream.write('second\n');
    expect(guarded.closed).toBe(true);
    expect(received.join('')).toBe('first\n');
  });
});
