// Runs the real CLI in this process with captured output, for tests.
import { PassThrough } from 'node:stream';
import { runCli } from '../main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json<T = unknown>(): T;
}

export async function runCliCaptured(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  cwd = process.cwd(),
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await runCli(argv, {
    stdout,
    stderr,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
    cwd,
    interactive: false,
  });
  const stdoutText = Buffer.concat(out).toString();
  return {
    code,
    stdout: stdoutText,
    stderr: Buffer.concat(err).toString(),
    json<T>() {
      return JSON.parse(stdoutText) as T;
    },
  };
}
