// Hostile nights through the real CLI: the scripted model writes a "test" that attacks the machine,
// and the workspace's own check command (`node hostile.test.js`) runs it in the real sandbox. Each
// scenario asserts on the host — files absent, servers unvisited, the secret nowhere in what was
// stored or sent to the model — then that the hostile task ended in a final state with a reason,
// that the session went on to the next task and merged it, and that the user's checkout is exactly
// as it was.
import fs from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import type { SessionReport } from '../engine/report/session-report';
import { createTempDir } from '../engine/git/testing/temp-repo';
import { isWithin } from '../engine/safety/path-within';
import { DEFAULT_MAX_CHECK_PROCESSES } from '../engine/safety/sandbox/check-limits';
import {
  connectOutScript,
  floodOutputScript,
  forkForeverScript,
  readSecretsScript,
  writeEverywhereScript,
} from './testing/hostile-scripts';
import { createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

const tag = `${process.pid}-${Date.now()}`;
const secret = `NOCTURNAL-HOSTILE-SECRET-${tag}`;
let fakeHome: { path: string; cleanup(): Promise<void> };
let fixture: NightFixture | undefined;

beforeAll(async () => {
  // The user's home as the CLI sees it (HOME in its environment), with a private key in it.
  fakeHome = await createTempDir('nocturnal-user-home-');
  fs.mkdirSync(path.join(fakeHome.path, '.ssh'), { mode: 0o700 });
  fs.writeFileSync(
    path.join(fakeHome.path, '.ssh', 'id_rsa'),
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${secret}\n-----END OPENSSH PRIVATE KEY-----\n`,
    { mode: 0o600 },
  );
});
afterAll(async () => {
  await fakeHome.cleanup();
});
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

interface HostileNight {
  f: NightFixture;
  hostile: Task;
  good: Task;
  /** What the hostile check printed, as stored on the attempt. */
  output: string;
  report: SessionReport;
}

/**
 * One session with two tasks: the hostile one first (high priority), then an honest fix of add()
 * whose test goes through the same check command. `script` sees the fixture, so it can aim at the
 * user's repository and the engine's home.
 */
async function hostileNight(
  script: (f: NightFixture) => string,
  options: { cycles?: number; checkTimeoutS?: number } = {},
): Promise<HostileNight> {
  let hostileSource = '';
  const f = await createNightFixture({
    env: {
      HOME: fakeHome.path,
      NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: String(options.cycles ?? 0),
      // A backstop only: every attack here ends by itself.
      NOCTURNAL_SAFETY_CHECK_TIMEOUT_S: String(options.checkTimeoutS ?? 30),
    },
    respond: (schema, prompt) => {
      if (schema === 'nocturnal_review') return reviewReply(prompt.includes('Hostile') ? 1 : 0.95);
      if (prompt.includes('Hostile'))
        return editsReply([{ path: 'hostile.test.js', action: 'write', content: hostileSource }], 'add a test');
      return editsReply(
        [
          { path: 'hostile.test.js', action: 'write', content: mathTest },
          { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' },
        ],
        'fix add',
      );
    },
  });
  fixture = f;
  hostileSource = script(f);
  const added = await f.cli(
    'workspace',
    'add',
    f.repo.path,
    '--name',
    'calc',
    '--test',
    'node hostile.test.js',
    '--no-check',
  );
  expect(added.stderr).toBe('');
  const before = await f.userView();
  const gitConfig = fs.readFileSync(path.join(f.repo.path, '.git', 'config'), 'utf8');
  const hostileId = (await f.cli('task', 'add', 'calc', 'Hostile test', '--priority', 'high', '--json')).json<{
    id: string;
  }>().id;
  const goodId = (await f.cli('task', 'add', 'calc', 'Fix add()', '--priority', 'low', '--json')).json<{ id: string }>()
    .id;

  const run = await f.cli('run', '--now');
  expect(run.code).toBe(0);

  const hostile = (await f.cli('task', 'show', hostileId, '--json')).json<Task>();
  const good = (await f.cli('task', 'show', goodId, '--json')).json<Task>();
  // The hostile task ended, with a reason; the night went on and the honest fix landed.
  expect(hostile.status).toBe('rejected');
  expect(hostile.statusReason).toMatch(/below quality.review_threshold|no improvement cycles left/);
  expect(hostile.attempts[0]?.checksAfter?.[0]).toMatchObject({ name: 'test', passed: false });
  expect(good.status).toBe('merged');
  const report = (await f.cli('report', '--json')).json<SessionReport>();
  expect(report.session.stats).toMatchObject({ tasksDone: 2, merged: 1, rejected: 1 });
  // The user's checkout, hooks and repository config are exactly as they were.
  expect(await f.userView()).toEqual(before);
  expect(fs.readFileSync(path.join(f.repo.path, '.git', 'config'), 'utf8')).toBe(gitConfig);
  return { f, hostile, good, output: hostile.attempts[0]?.checksAfter?.[0]?.output ?? '', report };
}

describe('a hostile check, run by the real CLI in the real sandbox', () => {
  it('cannot write to HOME, the user checkout, its hooks, the engine home or anywhere outside the worktree', async () => {
    const outsideTmp = path.join(path.dirname(fs.realpathSync(process.cwd())), `nocturnal-pwned-${tag}.txt`);
    const targets = (f: NightFixture) => [
      path.join(fakeHome.path, 'pwned.txt'),
      path.join(fakeHome.path, '.ssh', 'authorized_keys'),
      path.join(os.homedir(), `nocturnal-pwned-${tag}.txt`),
      path.join(f.repo.path, 'pwned.txt'),
      path.join(f.repo.path, '.git', 'hooks', 'post-checkout'),
      path.join(f.home, 'pwned.txt'),
      path.join(f.home, 'worktrees', 'pwned.txt'),
      outsideTmp,
      `/var/tmp/nocturnal-pwned-${tag}.txt`,
      `/etc/nocturnal-pwned-${tag}`,
    ];
    let aimed: string[] = [];
    const { f, output } = await hostileNight((fixture) => {
      aimed = targets(fixture);
      return writeEverywhereScript(aimed);
    });
    for (const target of aimed) expect(fs.existsSync(target), target).toBe(false);
    expect(fs.readdirSync(fakeHome.path).sort()).toEqual(['.ssh']);
    expect(fs.readdirSync(path.join(fakeHome.path, '.ssh'))).toEqual(['id_rsa']);
    expect(fs.existsSync(path.join(f.repo.path, '.git', 'hooks', 'post-checkout'))).toBe(false);
    // Outside /tmp the host file system is read-only inside the sandbox. (A checkout that itself lives
    // under /tmp, as a CI clone may, lands in the sandbox's private /tmp instead: the host still sees
    // nothing, which the existsSync loop above has already proven.)
    if (!isWithin(fs.realpathSync(os.tmpdir()), outsideTmp))
      expect(output).toMatch(new RegExp(`failed ${outsideTmp.replaceAll('.', '\\.')}: EROFS`));
    expect(output).toMatch(/failed \/var\/tmp\/nocturnal-pwned-.*: EROFS/);
    expect(output).toMatch(/git config refused/);
    expect(output).not.toMatch(/git config changed/);
  });

  it('cannot read a private key in the home, the engine database or its config, and nothing leaks into storage or prompts', async () => {
    const { f, output, hostile } = await hostileNight(
      (fixture) =>
        readSecretsScript([
          path.join(fakeHome.path, '.ssh', 'id_rsa'),
          path.join(os.homedir(), '.ssh', 'id_rsa'),
          path.join(fixture.home, 'nocturnal.db'),
          path.join(fixture.home, 'config.yaml'),
        ]),
      // One improvement cycle: the failing output is fed back to the model, the path a secret would leave by.
      { cycles: 1 },
    );
    expect(output).toMatch(new RegExp(`failed ${fakeHome.path}/\\.ssh/id_rsa: ENOENT`));
    expect(output).toMatch(/failed .*nocturnal\.db: ENOENT/);
    expect(output).not.toContain(secret);
    expect(output).not.toContain('SQLite format 3');
    expect(JSON.stringify(hostile)).not.toContain(secret);
    // The model was asked again with the failure: that prompt carries the output, but no secret.
    const prompts = JSON.stringify(f.server.requests.map((r) => r.body));
    expect(prompts).toContain(`failed ${fakeHome.path}/.ssh/id_rsa: ENOENT`);
    expect(prompts).not.toContain(secret);
    expect(fs.readFileSync(path.join(f.home, 'nocturnal.db')).includes(secret)).toBe(false);
    for (const file of fs.readdirSync(path.join(f.home, 'logs'), { recursive: true })) {
      const full = path.join(f.home, 'logs', String(file));
      if (fs.statSync(full).isFile()) expect(fs.readFileSync(full, 'utf8'), full).not.toContain(secret);
    }
  });

  it('cannot reach a TCP server the test opened, on loopback or the machine address, nor the model server', async () => {
    let connections = 0;
    const server: Server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;
    const external = Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
      .map((a) => ({ host: (a as { address: string }).address, port }));
    const probePath = `/v1/exfiltrate-${tag}`;
    try {
      const { f, output } = await hostileNight((fixture) =>
        connectOutScript([{ host: '127.0.0.1', port }, ...external], { port: fixture.server.port, path: probePath }),
      );
      expect(output).toMatch(new RegExp(`failed 127\\.0\\.0\\.1:${port}: (ECONNREFUSED|ENETUNREACH)`));
      expect(output).toMatch(/model server unreachable: (ECONNREFUSED|ENETUNREACH)/);
      expect(output).not.toMatch(/connected|answered/);
      expect(f.server.requests.filter((r) => r.path === probePath)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(connections).toBe(0);
  });

  it('forks endlessly into the process cap: the check ends by itself, and nothing it started survives', async () => {
    const sleepMarker = `120.${tag.replace('-', '')}`;
    // A thousand spawns take ~10 s here and several times that on a loaded machine: the backstop is
    // wider so it cannot end the check before the cap does (the script prints its count at the end).
    const { output, hostile } = await hostileNight(() => forkForeverScript(5000, sleepMarker), { checkTimeoutS: 120 });
    expect(output).toMatch(/started \d+ children, \d+ refused/);
    const started = Number(/started (\d+) children, (\d+) refused/.exec(output)?.[1] ?? NaN);
    expect(started).toBeGreaterThan(0);
    expect(started).toBeLessThan(DEFAULT_MAX_CHECK_PROCESSES);
    expect(hostile.attempts[0]?.checksAfter?.[0]?.timedOut).toBe(false);
    if (process.getuid?.() === 0)
      expect(output).toMatch(/\[the check reached the sandbox's process limit \(1024 processes and threads\)/);
    const survivors = fs
      .readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(sleepMarker);
        } catch {
          return false;
        }
      });
    expect(survivors).toEqual([]);
  }, 240_000);

  it('prints 100 MB: the stored output keeps its head and tail within the cap', async () => {
    const { f, output } = await hostileNight(() => floodOutputScript(100));
    expect(output.startsWith('FIRST LINE OF THE FLOOD\n')).toBe(true);
    expect(output).toMatch(/LAST LINE OF THE FLOOD\n/);
    expect(output).toMatch(/\[… \d+ bytes omitted …\]/);
    expect(output.length).toBeLessThan(300 * 1024);
    expect(fs.statSync(path.join(f.home, 'nocturnal.db')).size).toBeLessThan(10 * 1024 * 1024);
  });
});
