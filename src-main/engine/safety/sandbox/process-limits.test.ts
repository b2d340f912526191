// Process and memory caps against real sandboxes: a real fork bomb, a real spawner that counts how
// far it got, a real allocation past the cap. Limits are kept low (64 tasks, 160 MiB) so that even a
// cap that failed could not hurt the machine before the short timeout kills the PID namespace —
// and every hostile run first proves that a cap is in place here.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBubblewrapArgs } from './bubblewrap-args';
import { readCgroupHierarchies } from './cgroup-hierarchies';
import { kernelCountsNprocPerUserNamespace } from './check-limits';
import { createSandboxDetector } from './detect-sandbox';
import { runSandboxed } from './run-sandboxed';
import type { RunSandboxedOptions } from './run-sandboxed';

const detector = createSandboxDetector();
const node = process.execPath;
let base: string;
let worktree: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-limits-')));
  worktree = join(base, 'worktree');
  await mkdir(worktree);
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

function run(command: string, extra: Partial<RunSandboxedOptions> = {}) {
  return runSandboxed({
    command,
    cwd: worktree,
    mode: 'required',
    timeoutMs: 20_000,
    killGraceMs: 500,
    maxOutputBytes: 64 * 1024,
    readPaths: [dirname(node)],
    detector,
    limits: { maxProcesses: 64, maxMemoryBytes: 160 * 1024 * 1024 },
    ...extra,
  });
}

/** Starts up to `tries` sleeping children and prints how many it got before the kernel said no. */
const spawner = (tries: number) =>
  `"${node}" -e "const cp = require('child_process'); let ok = 0, failed = 0; for (let i = 0; i < ${tries}; i++) { try { const c = cp.spawn('sleep', ['30'], { stdio: 'ignore' }); c.on('error', () => {}); if (c.pid) ok++; else failed++; } catch { failed++; } } console.log('started ' + ok + ' failed ' + failed); process.exit(0);"`;

async function leftoverCgroups(): Promise<string[]> {
  const left: string[] = [];
  for (const h of await readCgroupHierarchies()) {
    for (const parent of new Set([h.ownDir, h.mountPoint])) {
      const entries = await readdir(parent).catch(() => [] as string[]);
      left.push(...entries.filter((e) => e.startsWith(`nocturnal-check-${process.pid}-`)).map((e) => join(parent, e)));
    }
  }
  return left;
}

describe('process limits in the sandbox', () => {
  it('applies a process cap here, and a memory cap where a cgroup can be made', async () => {
    const result = await run('true');
    expect(result.exitCode).toBe(0);
    expect(result.limits.processes).toMatchObject({ max: 64, mechanism: expect.stringMatching(/^(cgroup|rlimit)$/) });
    expect(result.limits).toMatchObject({ processLimitHit: false, memoryLimitHit: false });
    if (process.getuid?.() === 0) expect(result.limits.processes.mechanism).toBe('cgroup');
    if (result.limits.memory.mechanism === 'cgroup') expect(result.limits.memory.maxBytes).toBe(160 * 1024 * 1024);
    expect(await leftoverCgroups()).toEqual([]);
  });

  it('stops a spawner at the cap: far fewer than 64 children start and the rest fail', async () => {
    const result = await run(spawner(200));
    expect(result.limits.processes.mechanism).not.toBe('none');
    const [, started, failed] = /started (\d+) failed (\d+)/.exec(result.stdout) ?? [];
    expect(Number(started)).toBeLessThan(64);
    expect(Number(failed)).toBeGreaterThan(100);
    expect(result.timedOut).toBe(false);
    if (result.limits.processes.mechanism === 'cgroup') {
      expect(result.limits.processLimitHit).toBe(true);
      expect(result.output).toMatch(/\[the check reached the sandbox's process limit \(64 processes and threads\)/);
    }
  });

  it('ends a classic fork bomb by itself, well before the timeout, and leaves nothing behind', async () => {
    const probe = await run('true');
    expect(probe.limits.processes.mechanism).not.toBe('none');
    // It fails like a test run would, so the sandbox hint is added.
    // The shell waits on a sleep started before the bomb: without it, `wait` returns as soon as the
    // first background job has spawned its pipeline, and the bomb is killed with the namespace before
    // it ever reaches the cap (seen on a fast machine: over in 0.3 s, no fork ever failed).
    const result = await run('sleep 2 & b() { b | b & }; b; wait; echo bomb-over; exit 1', { timeoutMs: 15_000 });
    expect(result.timedOut).toBe(false);
    expect(result.stdout).toMatch(/bomb-over/);
    expect(result.output).toMatch(/Cannot fork/);
    expect(result.hint).toMatch(/number of processes and threads a check may run is capped/);
    if (result.limits.processes.mechanism === 'cgroup') expect(result.limits.processLimitHit).toBe(true);
    expect(await leftoverCgroups()).toEqual([]);
  });

  it('kills a check that allocates past the memory cap, and says so', async () => {
    const probe = await run('true');
    // The memory cap needs a cgroup; RLIMIT_AS would break node and wasm tools, so there is no
    // fallback. Without one (a desktop user cannot create cgroups) the result must say so.
    if (probe.limits.memory.mechanism === 'none') {
      expect(process.getuid?.()).not.toBe(0);
      expect(probe.limits.memory.maxBytes).toBeNull();
      return;
    }
    const hog = `"${node}" -e "const a = []; for (let i = 0; i < 2048; i++) a.push(Buffer.alloc(1 << 20, 1)); console.log('allocated 2 GiB');"`;
    const result = await run(hog);
    expect(result.stdout).not.toMatch(/allocated/);
    expect(result.exitCode === null || result.exitCode !== 0).toBe(true);
    expect(result.limits.memoryLimitHit).toBe(true);
    expect(result.output).toMatch(
      /\[the check reached the sandbox's memory limit \(0\.2 GiB\); the kernel killed a process of it\]/,
    );
  });
});

describe('RLIMIT_NPROC inside bubblewrap, for a user who is not root', () => {
  it('caps the sandbox at the limit (run as nobody when the tests run as root)', async () => {
    expect(kernelCountsNprocPerUserNamespace()).toBe(true);
    const support = await detector.detect();
    expect(support.disableUserns).toBe(true);
    // The unprivileged bubblewrap must reach the worktree and an empty file.
    const open = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-nproc-')));
    try {
      await chmod(open, 0o755);
      const emptyFile = join(open, 'empty');
      await writeFile(emptyFile, '', { mode: 0o444 });
      const args = buildBubblewrapArgs(
        {
          worktree: open,
          home: '/tmp/home',
          hidden: [],
          readOnly: [],
          disableUserns: true,
          emptyFile,
          maxProcesses: 16,
        },
        `echo "nproc $(ulimit -u 2>/dev/null || ulimit -p)"; ${spawner(60)}`,
      );
      const asRoot = process.getuid?.() === 0;
      const file = asRoot ? 'setpriv' : (support.executable as string);
      const argv = asRoot
        ? ['--reuid=65534', '--regid=65534', '--clear-groups', '--', support.executable as string, ...args]
        : args;
      const result = spawnSync(file, argv, {
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      });
      expect(result.stderr).toBe('');
      const [, started, failed] = /started (\d+) failed (\d+)/.exec(result.stdout) ?? [];
      expect(Number(started)).toBeLessThan(16);
      expect(Number(failed)).toBeGreaterThan(40);
      expect(result.stdout).toMatch(/^nproc 16$/m);
      if (asRoot) expect(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim()).toBe('65534');
    } finally {
      await rm(open, { recursive: true, force: true });
    }
  });
});
