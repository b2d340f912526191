// runGit starts every git through simple-git: the argv the policy judged is the argv simple-git spawns,
// its timeout plugin kills a git that hangs, its abort plugin stops one on a signal, and its own argv
// check refuses what the engine never sends. The hung git is a real one: `cat-file --batch` waits for
// object names on stdin, which simple-git leaves open and nobody writes.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitRefusedError, GitStoppedError } from './git-error';
import { observeGitSpawns, runGit } from './run-git';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';
import { addWorktree } from './worktree-add';
import { commitAll } from './commit-all';
import { existsSync } from 'node:fs';

let repo: TempRepo | undefined;
let stopObserving: (() => void) | undefined;

afterEach(async () => {
  stopObserving?.();
  await repo?.cleanup();
  repo = undefined;
});

function watchSpawns(): (readonly string[])[] {
  const spawned: (readonly string[])[] = [];
  stopObserving = observeGitSpawns((args) => void spawned.push(args));
  return spawned;
}

describe('runGit through simple-git', () => {
  it('spawns, through simple-git, exactly the argv each operation showed the policy', async () => {
    repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
    const home = await createTempDir();
    try {
      const judged: (readonly string[])[] = [];
      const policy = (argv: readonly string[]) => void judged.push(argv);
      const added = await addWorktree({
        policy,
        repoPath: repo.path,
        worktreePath: path.join(home.path, 'wt'),
        ownedRoot: home.path,
        branch: 'attempt',
        base: 'main',
      });
      if (added.kind !== 'created') throw new Error(added.kind);
      await writeFile(path.join(added.worktree.path, 'a.txt'), 'edited\n');
      const spawned = watchSpawns();
      judged.length = 0;
      const committed = await commitAll({
        policy,
        worktree: added.worktree,
        ownedRoot: home.path,
        message: 'edit',
        paths: ['a.txt'],
      });
      expect(committed.kind).toBe('committed');
      // The filter list (first use of this configuration) and the commit of the tracked file (`commit
      // --only`); the new commit is read from its loose ref.
      expect(judged.map((argv) => argv.find((a) => ['config', 'add', 'commit'].includes(a)))).toEqual([
        'config',
        'commit',
      ]);
      expect(spawned).toEqual(judged.map((argv) => argv.slice(1)));
      // The pinned calls carry the recorded git dir and the controlled settings, as spawned.
      expect(spawned.at(-1)).toEqual(
        expect.arrayContaining([
          'core.hooksPath=/dev/null',
          `--git-dir=${added.worktree.gitDir}`,
          `--work-tree=${added.worktree.path}`,
        ]),
      );
      expect(await repo.git('log', '-1', '--format=%s', 'attempt')).toBe('edit');
    } finally {
      await home.cleanup();
    }
  });

  it('kills a git that stays silent past its timeout: a typed GitStoppedError, quickly', async () => {
    repo = await createTempRepo();
    const started = Date.now();
    const error = await runGit(repo.path, ['cat-file', '--batch'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitStoppedError);
    expect(error).toMatchObject({ reason: 'timeout', exitCode: null, cwd: repo.path });
    expect((error as Error).message).toBe(`git cat-file --batch in ${repo.path} stopped after 300 ms without output`);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops a running git when the caller aborts, and never starts one for an aborted signal', async () => {
    repo = await createTempRepo();
    const spawned = watchSpawns();
    const controller = new AbortController();
    const running = runGit(repo.path, ['cat-file', '--batch'], { signal: controller.signal, timeoutMs: 120_000 }).catch(
      (e: unknown) => e,
    );
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const error = await running;
    expect(error).toBeInstanceOf(GitStoppedError);
    expect(error).toMatchObject({ reason: 'abort' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(spawned).toHaveLength(1);

    const again = await runGit(repo.path, ['rev-parse', 'HEAD'], { signal: controller.signal }).catch(
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(GitStoppedError);
    expect(again).toMatchObject({ reason: 'abort' });
    expect(spawned).toHaveLength(1);
  });

  it("keeps simple-git's own argv check as a second gate: a command-running -c setting never starts, even with no policy", async () => {
    repo = await createTempRepo();
    const spawned = watchSpawns();
    const marker = path.join(repo.path, 'ssh-ran');
    const error = await runGit(repo.path, [
      '-c',
      `core.sshCommand=touch ${marker}`,
      'fetch',
      'ssh://example.invalid/x',
    ]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitRefusedError);
    expect(error).toMatchObject({ rule: 'simple-git-unsafe' });
    expect(spawned).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });

  it('stops reading a large output at maxStdoutBytes and returns the first bytes', async () => {
    repo = await createTempRepo();
    const big = 'x'.repeat(8 * 1024 * 1024);
    await repo.commit({ 'big.txt': big });
    const result = await runGit(repo.path, ['cat-file', 'blob', 'HEAD:big.txt'], { maxStdoutBytes: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.stdoutBytes.equals(Buffer.from(big.slice(0, 1000)))).toBe(true);
  });
});
