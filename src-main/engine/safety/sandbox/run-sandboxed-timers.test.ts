// A finished check leaves nothing behind that keeps the process alive: `run --now` used to linger for
// the 1 s output-drain deadline after its last check, a timer nobody cleared.
import { createHook } from 'node:async_hooks';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSandboxed } from './run-sandboxed';

let worktree: string;
beforeAll(async () => {
  worktree = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-timers-')));
});
afterAll(async () => {
  await rm(worktree, { recursive: true, force: true });
});

/** Runs `work` and returns what it resolved to plus the timers it created that are still pending. */
async function withTimerWatch<T>(work: () => Promise<T>): Promise<{ value: T; pending: number }> {
  const live = new Set<number>();
  const hook = createHook({
    init: (id, type) => void (type === 'Timeout' && live.add(id)),
    destroy: (id) => void live.delete(id),
  }).enable();
  try {
    const value = await work();
    // Destroy hooks of cleared timers run on a later turn of the loop.
    await new Promise((done) => setImmediate(done));
    return { value, pending: live.size };
  } finally {
    hook.disable();
  }
}

describe('runSandboxed timers', () => {
  it('leaves no timer pending once the check has ended (no drain or kill deadline outlives it)', async () => {
    const { value: result, pending } = await withTimerWatch(() =>
      runSandboxed({
        command: 'echo checked',
        cwd: worktree,
        mode: 'off',
        timeoutMs: 30_000,
        maxOutputBytes: 64 * 1024,
      }),
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('checked\n');
    expect(pending).toBe(0);
  });

  it('clears them too when the check is killed at its timeout', async () => {
    const { value: result, pending } = await withTimerWatch(() =>
      runSandboxed({
        command: 'sleep 30',
        cwd: worktree,
        mode: 'off',
        timeoutMs: 200,
        killGraceMs: 5_000,
        maxOutputBytes: 64 * 1024,
      }),
    );
    expect(result.timedOut).toBe(true);
    expect(pending).toBe(0);
  });
});
