// `nocturnal init` as a newcomer meets it: in a real pseudo-terminal (util-linux `script` gives the
// child a pty, so it sees a terminal on stdin and stdout and asks its questions), and with --yes.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir, createTempRepo } from '../engine/git/testing/temp-repo';
import type { TempRepo } from '../engine/git/testing/temp-repo';
import { startLoopbackOpenAiServer } from '../engine/llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../engine/llm/testing/loopback-openai-server';
import { runCliCaptured } from './testing/run-cli-in-process';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nocturnal.js');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp(): Promise<{ home: string; repo: TempRepo; server: LoopbackOpenAiServer }> {
  const home = await createTempDir('nocturnal-init-home-');
  const repo = await createTempRepo({
    files: { 'package.json': '{"name":"calc","scripts":{"test":"node test.js"}}\n', 'test.js': 'console.log("ok")\n' },
  });
  // A model server somewhere other than the well-known ports: found because llm.api_url names it.
  const server = await startLoopbackOpenAiServer({ models: ['qwen2.5-coder-7b-instruct', 'codellama-13b-instruct'] });
  cleanups.push(
    () => server.close(),
    () => repo.cleanup(),
    () => home.cleanup(),
  );
  return { home: home.path, repo, server };
}

interface Terminal {
  /** Waits until the screen shows `text` after everything already answered, then types `answer`. */
  answer(text: string, answer: string): Promise<void>;
  /** Waits until the screen shows `text` after everything already answered, and types nothing. */
  see(text: string): Promise<void>;
  exit: Promise<number>;
  screen(): string;
}

function startInTerminal(args: string[], env: NodeJS.ProcessEnv): Terminal {
  const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { ...process.env, ...env, NO_COLOR: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let consumed = 0;
  const waiters: (() => void)[] = [];
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exit = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const see = async (text: string): Promise<void> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const at = output.indexOf(text, consumed);
      if (at >= 0) {
        consumed = at + text.length;
        return;
      }
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`the terminal never showed "${text}"; it shows:\n${output}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 1000);
      });
    }
  };
  return {
    async answer(text, reply) {
      await see(text);
      child.stdin.write(`${reply}\r`);
    },
    see,
    exit,
    screen: () => output,
  };
}

describe('nocturnal init', () => {
  it('in a terminal, asks for the model (servers found here), the repository and the night, then writes exactly that', async () => {
    const { home, repo, server } = await setUp();
    const terminal = startInTerminal(['--home', home, 'init'], { NOCTURNAL_LLM_API_URL: server.url });
    await terminal.answer('Model number?', '2');
    await terminal.answer('Path of a git repository', repo.path);
    await terminal.answer('Night starts at?', '23:30');
    await terminal.answer('Night ends at?', '');
    await terminal.answer('Arm night mode now', 'y');
    await terminal.answer('Desktop notifications', 'n');
    expect(await terminal.exit, terminal.screen()).toBe(0);
    expect(terminal.screen()).toContain(`1) qwen2.5-coder-7b-instruct on the server in llm.api_url (${server.url})`);
    expect(terminal.screen()).toContain(`2) codellama-13b-instruct on the server in llm.api_url (${server.url})`);
    expect(terminal.screen()).toMatch(
      /embedded: CodeLlama 13B Instruct \(Q4_K_M\), 7\.9 GB download, (fits|does NOT fit) this machine/,
    );

    const shown = await runCliCaptured(['--home', home, 'config', 'show', '--json'], {
      NOCTURNAL_LLM_API_URL: server.url,
    });
    const config = shown.json<{
      llm: Record<string, unknown>;
      scheduler: Record<string, unknown>;
      notifications: Record<string, unknown>;
    }>();
    expect(config.llm).toMatchObject({ provider: 'openai', model: 'codellama-13b-instruct' });
    expect(config.scheduler).toMatchObject({ start_time: '23:30', end_time: '06:00', night_mode: true });
    expect(config.notifications).toMatchObject({ enabled: false });
    const workspaces = (await runCliCaptured(['--home', home, 'workspace', 'list', '--json'])).json<
      { path: string; checks: Record<string, string> }[]
    >();
    expect(workspaces.map((w) => [w.path, w.checks['test']])).toEqual([[repo.path, 'npm test']]);
  });

  it('asks again when an answer is not one it can use', async () => {
    const { home, server } = await setUp();
    const terminal = startInTerminal(['--home', home, 'init'], { NOCTURNAL_LLM_API_URL: server.url });
    // One answer per prompt, each typed only once its prompt shows: an answer typed after the error
    // message but before the prompt that follows it raced the prompt (and went to the next question).
    await terminal.answer('Model number?', '99');
    await terminal.see('Please answer a number from 1 to');
    await terminal.answer('Model number?', '1');
    await terminal.answer('Path of a git repository', '/no/such/folder');
    await terminal.see('is not a git repository');
    await terminal.answer('Path of a git repository', '');
    await terminal.answer('Night starts at?', '25:00');
    await terminal.see('Please answer a 24-hour time');
    await terminal.answer('Night starts at?', '');
    await terminal.answer('Night ends at?', '');
    await terminal.answer('Arm night mode now', '');
    await terminal.answer('Desktop notifications', '');
    expect(await terminal.exit, terminal.screen()).toBe(0);
    const config = (
      await runCliCaptured(['--home', home, 'config', 'show', '--json'], { NOCTURNAL_LLM_API_URL: server.url })
    ).json<{ llm: Record<string, unknown>; scheduler: Record<string, unknown> }>();
    expect(config.llm).toMatchObject({ provider: 'openai', model: 'qwen2.5-coder-7b-instruct' });
    expect(config.scheduler).toMatchObject({ start_time: '22:00', night_mode: true });
  });

  it('with --yes takes the recommended answers without asking, and the config validates', async () => {
    const { home, repo, server } = await setUp();
    const run = await runCliCaptured(['--home', home, 'init', '--yes', '--repo', repo.path], {
      NOCTURNAL_LLM_API_URL: server.url,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('→ qwen2.5-coder-7b-instruct on the server in llm.api_url');
    expect((await runCliCaptured(['--home', home, 'config', 'validate'])).code).toBe(0);
    const status = (
      await runCliCaptured(['--home', home, 'status', '--json'], { NOCTURNAL_LLM_API_URL: server.url })
    ).json<{ setup: { complete: boolean } }>();
    expect(status.setup.complete).toBe(true);
  });

  it('without a server, --yes picks the embedded model recommended for this machine, and status says it still has to be downloaded', async () => {
    const { home } = await setUp();
    // No server anywhere: the configured URL points at a port nothing listens on.
    const env = { NOCTURNAL_LLM_API_URL: 'http://127.0.0.1:9/v1' };
    const run = await runCliCaptured(['--home', home, 'init', '--yes'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('No model server found');
    expect(run.stdout).toMatch(/next: download the model with `nocturnal model pull [a-z0-9.-]+`/);
    const status = await runCliCaptured(['--home', home, 'status'], env);
    expect(status.stdout).toMatch(/not ready: .* is not downloaded yet → pull it with `nocturnal model pull /);
    expect(status.stdout).toContain('not ready: no repository yet → add one with `nocturnal workspace add PATH`');
  });
});
