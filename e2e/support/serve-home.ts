// `nocturnal serve` on a given home as a child process, and the CLI run against the same home, for
// specs that drive the window and then ask the terminal what was written. Only the given settings
// reach the engine: nothing NOCTURNAL_* from the developer's shell leaks in.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ServedHome {
  url: string;
  close(): Promise<void>;
}

export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NOCTURNAL_'))),
    ...extra,
  };
}

export async function serveHome(repoRoot: string, home: string, env: NodeJS.ProcessEnv): Promise<ServedHome> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'nocturnal.js'), '--home', home, 'serve', '--port', '0'],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      const timer = setTimeout(
        () => reject(new Error(`nocturnal serve printed no address in 60 s\nstdout: ${stdout}\nstderr: ${stderr}`)),
        60_000,
      );
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`nocturnal serve exited (${code}) before serving\nstdout: ${stdout}\nstderr: ${stderr}`));
      });
    });
    return { url, close: stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `nocturnal --home HOME ARGS… --json`, parsed. */
export async function cliJson<T>(repoRoot: string, home: string, env: NodeJS.ProcessEnv, args: string[]): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    [path.join(repoRoot, 'bin', 'nocturnal.js'), '--home', home, ...args],
    { cwd: repoRoot, env, timeout: 60_000 },
  );
  return JSON.parse(stdout) as T;
}

/** `nocturnal --home HOME ARGS…`: its standard output. */
export async function cliText(repoRoot: string, home: string, env: NodeJS.ProcessEnv, args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [path.join(repoRoot, 'bin', 'nocturnal.js'), '--home', home, ...args],
    { cwd: repoRoot, env, timeout: 60_000 },
  );
  return stdout;
}
