import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safetySectionSchema } from '../../../../src-shared/config/schema';
import type { SafetyConfig } from '../../../../src-shared/config/schema';
import { silentLogger } from '../../log/logger';
import { createSandboxDetector } from './detect-sandbox';
import { runChecks } from './run-checks';
import type { CheckSpec } from './run-checks';
import { SandboxUnavailableError } from './run-sandboxed';

const detector = createSandboxDetector();
let base: string;
let engineHome: string;
let worktree: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-checks-')));
  engineHome = join(base, 'home');
  worktree = join(engineHome, 'worktrees', 't1-1');
  await mkdir(worktree, { recursive: true });
  await writeFile(join(engineHome, 'nocturnal.db'), 'database');
  await writeFile(join(worktree, 'answer.txt'), '42\n');
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const safety = (overrides: Partial<SafetyConfig> = {}): SafetyConfig => ({
  ...safetySectionSchema.parse({}),
  ...overrides,
});

describe('runChecks', () => {
  it('runs each check in the sandbox and reports pass, failure, timeout and policy refusals in order', async () => {
    const checks: CheckSpec[] = [
      { name: 'test', command: 'grep -q 42 answer.txt && echo "1 passed"' },
      { name: 'lint', command: `echo "src/a.ts: 1 problem"; cat ${engineHome}/nocturnal.db; exit 2` },
      { name: 'typecheck', command: 'echo checking; sleep 30' },
      { name: 'build', command: 'npm run build && rm -rf ~' },
    ];
    const results = await runChecks({
      checks,
      worktree,
      safety: safety({ check_timeout_s: 1 }),
      hiddenPaths: [engineHome],
      log: silentLogger(),
      detector,
    });
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['test', true],
      ['lint', false],
      ['typecheck', false],
      ['build', false],
    ]);
    const [test, lint, typecheck, build] = results;
    expect(test).toMatchObject({
      exitCode: 0,
      timedOut: false,
      sandbox: 'bubblewrap',
      deniedReason: null,
      output: '1 passed\n',
    });
    expect(lint).toMatchObject({ exitCode: 2, sandbox: 'bubblewrap' });
    expect(lint?.output).toMatch(/src\/a.ts: 1 problem/);
    expect(lint?.output).not.toMatch(/database/);
    expect(typecheck).toMatchObject({ timedOut: true, exitCode: null });
    expect(typecheck?.output).toMatch(/checking\n\[timed out after 1 s \(safety.check_timeout_s\)/);
    expect(build).toMatchObject({
      exitCode: null,
      sandbox: null,
      durationMs: 0,
      deniedReason: expect.stringMatching(/rm -rf ~/),
    });
    expect(build?.output).toMatch(
      /^refused by the command policy, not run: "rm -rf ~" would delete your home directory/,
    );
  });

  it('applies safety.blocked_commands to checks', async () => {
    const [result] = await runChecks({
      checks: [{ name: 'build', command: 'make release' }],
      worktree,
      safety: safety({ blocked_commands: ['make release'] }),
      hiddenPaths: [engineHome],
      log: silentLogger(),
      detector,
    });
    expect(result).toMatchObject({ passed: false, deniedReason: expect.stringMatching(/safety.blocked_commands/) });
  });

  it('lets a check write in the worktree only', async () => {
    const [result] = await runChecks({
      checks: [{ name: 'build', command: 'mkdir -p dist && echo built > dist/out.txt' }],
      worktree,
      safety: safety(),
      hiddenPaths: [engineHome],
      log: silentLogger(),
      detector,
    });
    expect(result?.passed).toBe(true);
    expect(await readFile(join(worktree, 'dist', 'out.txt'), 'utf8')).toBe('built\n');
  });

  it('runs unsandboxed only when safety.sandbox is off, and says so', async () => {
    const [result] = await runChecks({
      checks: [{ name: 'test', command: 'true' }],
      worktree,
      safety: safety({ sandbox: 'off' }),
      hiddenPaths: [engineHome],
      log: silentLogger(),
      detector: createSandboxDetector({ bwrapPath: '/nonexistent/bwrap' }),
    });
    expect(result).toMatchObject({ passed: true, sandbox: 'none' });
  });

  it('fails loudly when no sandbox is usable and sandbox is not off', async () => {
    const attempt = runChecks({
      checks: [{ name: 'test', command: 'true' }],
      worktree,
      safety: safety({ sandbox: 'auto' }),
      hiddenPaths: [engineHome],
      log: silentLogger(),
      detector: createSandboxDetector({ bwrapPath: '/nonexistent/bwrap' }),
    });
    await expect(attempt).rejects.toBeInstanceOf(SandboxUnavailableError);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const attempt = runChecks({
      checks: [{ name: 'test', command: 'true' }],
      worktree,
      safety: safety(),
      hiddenPaths: [],
      log: silentLogger(),
      detector,
      signal: controller.signal,
    });
    await expect(attempt).rejects.toMatchObject({ name: 'AbortError' });
  });
});
