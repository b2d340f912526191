// Hostile checks against the real bubblewrap: every test runs a real process in a real sandbox and
// then looks at the host to see what the process could and could not do.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxDetector } from './detect-sandbox';
import { SandboxUnavailableError, runSandboxed } from './run-sandboxed';
import type { RunSandboxedOptions } from './run-sandboxed';

const detector = createSandboxDetector();
let base: string;
let engineHome: string;
let worktree: string;
let fakeHome: string;
let outside: string;
const nodeDir = dirname(process.execPath);

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-sandbox-')));
  engineHome = join(base, 'engine-home');
  worktree = join(engineHome, 'worktrees', 'w1');
  fakeHome = join(base, 'fake-home');
  outside = join(base, 'outside');
  await mkdir(worktree, { recursive: true });
  await mkdir(join(engineHome, 'worktrees', 'w2'), { recursive: true });
  await mkdir(join(fakeHome, '.ssh'), { recursive: true });
  await mkdir(join(fakeHome, '.cache', 'tool'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(engineHome, 'nocturnal.db'), 'database');
  await writeFile(join(engineHome, 'config.yaml'), 'llm:\n  api_key_env: X\n');
  await writeFile(join(engineHome, 'worktrees', 'w2', 'other.txt'), 'another attempt');
  await writeFile(join(fakeHome, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nsecret\n');
  await writeFile(join(fakeHome, '.cache', 'tool', 'data.txt'), 'cached');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(command: string, extra: Partial<RunSandboxedOptions> = {}) {
  return runSandboxed({
    command,
    cwd: worktree,
    mode: 'required',
    timeoutMs: 30_000,
    maxOutputBytes: 64 * 1024,
    hiddenPaths: [engineHome, fakeHome],
    readPaths: [nodeDir],
    detector,
    ...extra,
  });
}

/** Host processes whose command line contains `marker`. */
async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.split('\0').includes(marker)) found.push(Number(entry));
  }
  return found;
}

describe('detectSandbox', () => {
  it('finds a working bubblewrap here, once per detector', async () => {
    const support = await detector.detect();
    expect(support).toMatchObject({ kind: 'bubblewrap', reason: expect.stringMatching(/works/) });
    expect(await detector.detect()).toBe(support);
  });

  it('reports none, with the reason, where bubblewrap is missing or the platform has no sandbox', async () => {
    expect(await createSandboxDetector({ bwrapPath: join(base, 'no-bwrap') }).detect()).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/cannot create a sandbox/),
    });
    expect(
      await createSandboxDetector({ searchPath: join(base, 'empty-path'), platform: 'linux' }).detect(),
    ).toMatchObject({ kind: existsSync('/usr/bin/bwrap') ? 'bubblewrap' : 'none' });
    expect(await createSandboxDetector({ platform: 'win32' }).detect()).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/win32/),
    });
  });
});

describe('runSandboxed inside bubblewrap', () => {
  it('keeps writes to HOME, /tmp and paths outside the worktree away from the host', async () => {
    const tag = `pwned-${process.pid}-${Date.now()}`;
    const result = await run(
      [
        `echo a > "$HOME/${tag}"`,
        `echo b > "/tmp/${tag}"`,
        `echo c > "${outside}/${tag}"`,
        `echo d > "${homedir()}/${tag}"`,
        `echo e > "${engineHome}/${tag}"`,
        `echo f > "/etc/${tag}"`,
        `echo ok > result.txt`,
        'true',
      ].join('; '),
    );
    expect(result).toMatchObject({ exitCode: 0, sandbox: 'bubblewrap', timedOut: false });
    expect(await readFile(join(worktree, 'result.txt'), 'utf8')).toBe('ok\n');
    for (const path of [
      join(tmpdir(), tag),
      join(outside, tag),
      join(homedir(), tag),
      join(engineHome, tag),
      join('/etc', tag),
    ]) {
      expect(existsSync(path), path).toBe(false);
    }
    expect(result.stderr).toMatch(/Read-only file system/);
  });

  it('cannot read a hidden home, the engine home or another worktree', async () => {
    const result = await run(
      [
        `cat "${fakeHome}/.ssh/id_rsa"`,
        `cat "${engineHome}/nocturnal.db"`,
        `cat "${engineHome}/config.yaml"`,
        `cat "${engineHome}/worktrees/w2/other.txt"`,
        `echo "real home: $(ls -A ${homedir()} | wc -l) entries"`,
        `echo "HOME=$HOME"`,
      ].join('; '),
    );
    expect(result.stdout).not.toMatch(/PRIVATE KEY|secret|database|api_key_env|another attempt/);
    expect(result.stdout).toMatch(/real home: 0 entries/);
    expect(result.stdout).toMatch(/HOME=\/tmp\/home/);
    expect(result.stderr.match(/No such file or directory/g)?.length).toBe(4);
  });

  it('shows sandbox_read_paths read-only, even inside a hidden home', async () => {
    const result = await run(`cat "${fakeHome}/.cache/tool/data.txt"; echo x > "${fakeHome}/.cache/tool/data.txt"`, {
      readPaths: [nodeDir, join(fakeHome, '.cache')],
    });
    expect(result.stdout).toBe('cached');
    expect(result.stderr).toMatch(/Read-only file system/);
    expect(await readFile(join(fakeHome, '.cache', 'tool', 'data.txt'), 'utf8')).toBe('cached');
    expect(result.hint).toMatch(/read-only outside the worktree/);
  });

  it('keeps hidden paths hidden and the worktree writable under a read path that encloses them', async () => {
    const result = await run(
      `cat "${engineHome}/nocturnal.db"; cat "${fakeHome}/.ssh/id_rsa"; ls "${outside}" >/dev/null && echo outside-visible; echo w > written.txt`,
      {
        readPaths: [nodeDir, base],
      },
    );
    expect(result.stdout).toBe('outside-visible\n');
    expect(result.stderr.match(/No such file or directory/g)?.length).toBe(2);
    expect(await readFile(join(worktree, 'written.txt'), 'utf8')).toBe('w\n');
  });

  it('has no network: a loopback server on the host sees nothing', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const script = `require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('connected'); process.exit(0); }).on('error', (e) => { console.error(e.code); process.exit(3); })`;
      const result = await run(`"${process.execPath}" -e "${script}"`);
      expect(result.exitCode).toBe(3);
      expect(result.stdout).not.toMatch(/connected/);
      expect(result.stderr).toMatch(/ECONNREFUSED|ENETUNREACH/);
      expect(result.hint).toMatch(/network is off/);
      expect(result.output).toMatch(/note: ran inside the sandbox \(bubblewrap\).*network is off/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(connections).toBe(0);
  });

  it('cannot reach unix sockets on the host (docker.sock, ssh-agent style)', async () => {
    let connections = 0;
    const socketPath = join(outside, 'agent.sock');
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      const script = `require('net').connect('${socketPath}').on('connect', () => process.exit(0)).on('error', (e) => { console.error(e.code); process.exit(3); })`;
      const result = await run(`"${process.execPath}" -e "${script}"`);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toMatch(/ENOENT/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(connections).toBe(0);
  });

  it('caps 100 MB of output, keeping head and tail, and the process runs to its end', async () => {
    const result = await run("printf 'FIRST\\n'; head -c 104857600 /dev/zero | tr '\\0' 'x'; printf '\\nLAST\\n'");
    expect(result.exitCode).toBe(0);
    expect(result.outputTruncated).toBe(true);
    expect(result.stdout.startsWith('FIRST\n')).toBe(true);
    expect(result.stdout.endsWith('\nLAST\n')).toBe(true);
    const omitted = Number(/\[… (\d+) bytes omitted …\]/.exec(result.stdout)?.[1]);
    expect(omitted).toBe(6 + 104857600 + 6 - 64 * 1024);
    expect(result.stdout.length).toBeLessThan(64 * 1024 + 100);
    expect(result.output.length).toBeLessThan(64 * 1024 + 100);
  });

  it('kills a check that outlives its timeout, with every process it started', async () => {
    const marker = `987654.${process.pid}${Date.now() % 100000}`;
    const result = await run(`sleep ${marker} & while [ ! -e /proc/$!/cmdline ]; do :; done; echo started; wait`, {
      timeoutMs: 2_000,
      killGraceMs: 500,
    });
    expect(result).toMatchObject({ timedOut: true, exitCode: null, sandbox: 'bubblewrap' });
    expect(result.stdout).toBe('started\n');
    expect(await processesWith(marker)).toEqual([]);
  });

  it('captures the output of a failing check', async () => {
    const result = await run('echo to-stdout; echo to-stderr >&2; exit 1');
    expect(result).toMatchObject({
      exitCode: 1,
      signal: null,
      timedOut: false,
      stdout: 'to-stdout\n',
      stderr: 'to-stderr\n',
      outputTruncated: false,
      hint: null,
    });
    expect(result.output).toMatch(/to-stdout/);
    expect(result.output).toMatch(/to-stderr/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hints that a missing command may be hidden by the sandbox', async () => {
    const result = await run('nocturnal-no-such-tool --version');
    expect(result.exitCode).toBe(127);
    expect(result.hint).toMatch(/safety.sandbox_read_paths/);
  });

  it('passes a scrubbed environment: no tokens or keys, a private HOME, CI=1', async () => {
    const planted: Record<string, string> = {
      OPENAI_API_KEY: 'sk-planted0123456789abcdef',
      GITHUB_TOKEN: 'ghp_planted0123456789abcdef0123',
      AWS_ACCESS_KEY_ID: 'AKIAPLANTED000000000',
      AWS_SECRET_ACCESS_KEY: 'planted-secret',
      AWS_PROFILE: 'prod',
      NPM_TOKEN: 'planted',
      SSH_AUTH_SOCK: '/tmp/planted.sock',
      NODE_OPTIONS: '--require /tmp/planted.js',
      MY_DEPLOY_CREDENTIAL: 'planted',
    };
    Object.assign(process.env, planted);
    try {
      const result = await run('env', { env: { EXPLICIT_OK: 'yes', EXPLICIT_TOKEN: 'x', LD_PRELOAD: '/tmp/x.so' } });
      expect(result.stdout).not.toMatch(/planted|PLANTED|EXPLICIT_TOKEN|LD_PRELOAD/);
      for (const name of Object.keys(planted)) expect(result.stdout).not.toContain(`${name}=`);
      expect(result.stdout).toMatch(/^CI=1$/m);
      expect(result.stdout).toMatch(/^HOME=\/tmp\/home$/m);
      expect(result.stdout).toMatch(/^EXPLICIT_OK=yes$/m);
    } finally {
      for (const name of Object.keys(planted)) Reflect.deleteProperty(process.env, name);
    }
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = run('echo started; sleep 30', { signal: controller.signal, killGraceMs: 200 });
    setTimeout(() => controller.abort(), 300);
    const result = await pending;
    expect(result).toMatchObject({ aborted: true, timedOut: false, exitCode: null });
  });

  it('lets git read the repository of a linked worktree, but not its config (remote URLs carry tokens)', async () => {
    const repo = join(fakeHome, 'code', 'repo');
    const linked = join(engineHome, 'worktrees', 'git-wt');
    await mkdir(repo, { recursive: true });
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' },
      });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '--allow-empty', '-m', 'first commit');
    git('remote', 'add', 'origin', 'https://user:ghp_planted0123456789abcdef0123@example.com/x.git');
    git('worktree', 'add', '-q', linked, '-b', 'nocturnal/t/1');
    const commonDir = join(await realpath(repo), '.git');
    const gitPaths = { dotGit: join(linked, '.git'), gitDir: join(commonDir, 'worktrees', 'git-wt'), commonDir };
    const result = await run('git log -1 --format=%s; git remote -v; echo "remotes: $(git remote | wc -l)"', {
      cwd: linked,
      git: gitPaths,
    });
    expect(result.stdout).toMatch(/^first commit$/m);
    expect(result.stdout).toMatch(/remotes: 0/);
    expect(result.output).not.toMatch(/ghp_planted/);

    // The worktree is writable, its git wiring is not: the .git file can be neither rewritten, removed
    // nor renamed, and the admin folder and the repository's git dir take no new file.
    const dotGitBefore = await readFile(gitPaths.dotGit, 'utf8');
    const tamper = await run(
      [
        `echo "gitdir: ${commonDir}" > .git && echo "rewrote .git"`,
        'rm -f .git && echo "removed .git"',
        'mv .git moved-git && echo "renamed .git"',
        `echo "[filter x]" > ${gitPaths.gitDir}/config.worktree && echo "wrote config.worktree"`,
        `echo "* filter=x" > ${commonDir}/info/attributes && echo "wrote info/attributes"`,
        'echo ok > worktree-file.txt && echo "wrote worktree file"',
      ].join('; '),
      { cwd: linked, git: gitPaths },
    );
    expect(tamper.stdout).toBe('wrote worktree file\n');
    expect(await readFile(gitPaths.dotGit, 'utf8')).toBe(dotGitBefore);
    expect(existsSync(join(gitPaths.gitDir, 'config.worktree'))).toBe(false);
    expect(existsSync(join(commonDir, 'info', 'attributes'))).toBe(false);
    expect(existsSync(join(linked, 'moved-git'))).toBe(false);
  });

  it("shows no git dir at all without the engine's record of it: a .git file is never followed to decide what to mount", async () => {
    const planted = join(fakeHome, '.ssh');
    const lone = join(engineHome, 'worktrees', 'lone');
    await mkdir(lone, { recursive: true });
    await writeFile(join(lone, '.git'), `gitdir: ${planted}\n`);
    const result = await run(`ls ${planted} || echo "hidden"`, { cwd: lone });
    expect(result.stdout).toMatch(/hidden/);
    expect(result.output).not.toMatch(/id_rsa/);
  });
});

describe('runSandboxed without a sandbox', () => {
  const unavailable = createSandboxDetector({ bwrapPath: '/nonexistent/bwrap' });

  it.each(['auto', 'required'] as const)(
    'refuses to run in mode %s, saying how to install bubblewrap or opt out',
    async (mode) => {
      const attempt = runSandboxed({
        command: 'true',
        cwd: worktree,
        mode,
        timeoutMs: 5_000,
        maxOutputBytes: 1024,
        detector: unavailable,
      });
      await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
      await expect(attempt).rejects.toThrow(/apt-get install bubblewrap.*safety\.sandbox: off/s);
    },
  );

  it('runs directly in mode off, says so, and still scrubs, caps and times out', async () => {
    process.env['GITHUB_TOKEN'] = 'ghp_planted0123456789abcdef0123';
    try {
      const result = await runSandboxed({
        command: 'echo "HOME=$HOME"; env | grep -c GITHUB_TOKEN; head -c 5000 /dev/zero | tr "\\0" y',
        cwd: worktree,
        mode: 'off',
        timeoutMs: 10_000,
        maxOutputBytes: 1000,
        detector: unavailable,
      });
      expect(result.sandbox).toBe('none');
      expect(result.stdout).toMatch(/HOME=\/.*nocturnal-check-.*\/home/);
      expect(result.stdout).toMatch(/^0$/m);
      expect(result.outputTruncated).toBe(true);
    } finally {
      delete process.env['GITHUB_TOKEN'];
    }
  });

  it("removes the run's host HOME and TMPDIR afterwards, with or without what the check left there", async () => {
    const hostFolder = (stdout: string) => /^HOME=(.*)\/home$/m.exec(stdout)?.[1] ?? '';
    const run = (command: string) =>
      runSandboxed({ command, cwd: worktree, mode: 'off', timeoutMs: 10_000, maxOutputBytes: 10_000 });
    const empty = await run('echo "HOME=$HOME"');
    expect(hostFolder(empty.stdout)).toMatch(/nocturnal-check-/);
    expect(existsSync(hostFolder(empty.stdout))).toBe(false);
    const filled = await run(
      'echo "HOME=$HOME"; mkdir -p "$HOME/.cache/x" "$TMPDIR/y"; echo a > "$HOME/.cache/x/a"; ln -s / "$TMPDIR/root"',
    );
    expect(filled.exitCode).toBe(0);
    expect(hostFolder(filled.stdout)).toMatch(/nocturnal-check-/);
    expect(existsSync(hostFolder(filled.stdout))).toBe(false);
    // The link was removed, not followed.
    expect(existsSync('/bin')).toBe(true);
  });

  it('kills the whole process group on timeout, escalating to SIGKILL for what ignores SIGTERM', async () => {
    const marker = `876543.${process.pid}${Date.now() % 100000}`;
    const stubborn = `876542.${process.pid}${Date.now() % 100000}`;
    const result = await runSandboxed({
      command: `sleep ${marker} & (trap '' TERM; exec sleep ${stubborn}) & while [ ! -e /proc/$!/cmdline ]; do :; done; echo started; wait`,
      cwd: worktree,
      mode: 'off',
      timeoutMs: 1_500,
      maxOutputBytes: 1000,
      killGraceMs: 300,
    });
    expect(result).toMatchObject({ timedOut: true, sandbox: 'none', stdout: 'started\n' });
    expect(await processesWith(marker)).toEqual([]);
    expect(await processesWith(stubborn)).toEqual([]);
  });
});
