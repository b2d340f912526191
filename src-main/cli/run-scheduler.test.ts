// `nocturnal run` without --now, as a user runs it: the real `bin/nocturnal.js` in a child process,
// a night window opening about a minute from now, the loopback model server. Two homes side by side:
// night mode on (runs the queue by itself when the window opens) and off (waits and says so, then
// notices config.yaml turning it on). Ctrl+C (SIGINT) ends both cleanly.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { ScriptedReply } from '../engine/llm/testing/loopback-openai-server';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

const bin = path.resolve(import.meta.dirname, '../../bin/nocturnal.js');
const fixtures: NightFixture[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const f of fixtures.splice(0)) await f.cleanup();
});

/** Fixes `add` only when the prompt shows the bug; approves only a diff that contains the fix. */
function modelReadingThePrompt(schema: string, prompt: string): ScriptedReply {
  if (schema === 'nocturnal_edits') {
    return prompt.includes('return a - b;')
      ? editsReply(
          [{ path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' }],
          'fix add',
        )
      : editsReply([], 'nothing to fix');
  }
  return prompt.includes('+  return a + b;')
    ? reviewReply(0.95)
    : reviewReply(0.1, 'reject', ['the diff does not fix add']);
}

const hhmm = (date: Date) => date.toISOString().slice(11, 16);

function schedulerYaml(start: Date, nightMode: boolean): string {
  const end = new Date(start.getTime() + 60 * 60_000);
  return `# test settings\nscheduler:\n  start_time: "${hhmm(start)}"\n  end_time: "${hhmm(end)}"\n  timezone: UTC\n  night_mode: ${nightMode}\n  check_interval_s: 1\n`;
}

async function home(nightMode: boolean, start: Date) {
  const f = await createNightFixture({ respond: modelReadingThePrompt });
  fixtures.push(f);
  expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
  const added = await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js', '--json');
  expect(added.code).toBe(0);
  fs.writeFileSync(path.join(f.home, 'config.yaml'), schedulerYaml(start, nightMode));
  const child = spawn(process.execPath, [bin, '--home', f.home, 'run'], {
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...f.env },
    stdio: 'pipe',
  });
  children.push(child);
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { f, taskId: added.json<{ id: string }>().id, child, output, exited };
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function taskStatus(f: NightFixture, id: string): Promise<Task> {
  return (await f.cli('task', 'show', id, '--json')).json<Task>();
}

describe('nocturnal run (the night scheduler in the foreground)', () => {
  it(
    'works the queue by itself when the window opens with night mode on, and waits with it off',
    { timeout: 240_000 },
    async () => {
      // The window opens at the next whole minute at least 20 s away (UTC wall clock).
      const opens = new Date(Math.ceil((Date.now() + 20_000) / 60_000) * 60_000);
      const [armed, off] = await Promise.all([home(true, opens), home(false, opens)]);

      await until(
        () =>
          armed.output.stdout.includes('waiting for the night window') &&
          off.output.stdout.includes('night mode is off'),
        'both to say what they wait for',
        30_000,
      );
      expect(armed.output.stdout).toContain(
        `night mode is on: waiting for the night window (${hhmm(opens)}–${hhmm(new Date(opens.getTime() + 3_600_000))} UTC), which opens at ${opens.toISOString()}`,
      );
      expect(off.output.stdout).toContain(
        'night mode is off (scheduler.night_mode: false): waiting, nothing will start',
      );
      // Nothing before the window.
      expect(Date.now()).toBeLessThan(opens.getTime());
      expect(armed.f.server.chatRequests).toHaveLength(0);

      await until(
        () => armed.output.stdout.includes('report: nocturnal report --session'),
        'the armed home to finish its night session',
        120_000,
      );
      expect(armed.output.stderr).toBe('');
      expect(armed.output.stdout).toMatch(/session \S+ started: 1 task\(s\) queued/);
      expect(armed.output.stdout).toContain('→ merged');
      const task = await taskStatus(armed.f, armed.taskId);
      expect(task.status).toBe('merged');
      expect(Date.parse(task.attempts[0]?.startedAt ?? '')).toBeGreaterThanOrEqual(opens.getTime());
      expect(await armed.f.repo.git('show', 'nocturnal/integration:math.js')).toContain('return a + b;');
      // The queue is empty now: it says so and keeps waiting inside the open window.
      await until(
        () => armed.output.stdout.includes('is open: the window is open and nothing is queued'),
        'the armed home to idle',
        10_000,
      );

      // Night mode off: the window is open too, and nothing ran.
      await until(() => Date.now() > opens.getTime() + 2_000, 'the window to be open for 2 s', 90_000);
      expect(off.f.server.chatRequests).toHaveLength(0);
      expect((await taskStatus(off.f, off.taskId)).status).toBe('queued');
      expect(off.output.stdout).not.toContain('started');

      // Turning night mode on in config.yaml is noticed at the next look around (every second here).
      fs.writeFileSync(path.join(off.f.home, 'config.yaml'), schedulerYaml(opens, true));
      await until(
        () => off.output.stdout.includes('report: nocturnal report --session'),
        'the second home to run once night mode is on',
        120_000,
      );
      expect((await taskStatus(off.f, off.taskId)).status).toBe('merged');

      // Ctrl+C: both stop cleanly.
      for (const { child } of [armed, off]) child.kill('SIGINT');
      expect(await armed.exited).toBe(0);
      expect(await off.exited).toBe(0);
      expect(armed.output.stdout.trimEnd().split('\n').slice(-2)).toEqual(['stopping', 'stopped']);
      expect(off.output.stderr).toBe('');
    },
  );
});
