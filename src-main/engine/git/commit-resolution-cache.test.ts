// The resolution cache on real repositories: it gives git's answer, asks git again whenever a ref file
// it rests on changed (loose, packed, a tag of the same name appearing), and never keeps an answer it
// cannot back with files (a linked worktree, a symbolic name, an object id, reftable).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitResolutionCache, refEvidence } from './commit-resolution-cache';
import { resolveCommits } from './resolve-commits';
import { createTempDir, createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function repoWithTwoCommits(): Promise<{ repo: TempRepo; first: string; second: string }> {
  const repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
  cleanups.push(repo.cleanup);
  const first = await repo.git('rev-parse', 'main');
  await repo.write({ 'a.txt': 'b\n' });
  await repo.git('commit', '-qam', 'second');
  const second = await repo.git('rev-parse', 'main');
  return { repo, first, second };
}

const NAMES = ['main', 'refs/heads/nocturnal/integration'];

describe('CommitResolutionCache', () => {
  it("answers as git does, and from the kept answer while the refs' files are unchanged", async () => {
    const { repo, second } = await repoWithTwoCommits();
    const cache = new CommitResolutionCache();
    expect(await cache.resolve(repo.path, NAMES)).toEqual([second, null]);
    expect(await cache.resolve(repo.path, NAMES)).toEqual([second, null]);
    expect(cache.stats).toEqual({ asked: 1, reused: 1 });
    expect(await resolveCommits(repo.path, NAMES)).toEqual([second, null]);
  });

  it('asks git again when a loose ref moves or appears', async () => {
    const { repo, first, second } = await repoWithTwoCommits();
    const cache = new CommitResolutionCache();
    await cache.resolve(repo.path, NAMES);
    await repo.git('update-ref', 'refs/heads/main', first);
    expect(await cache.resolve(repo.path, NAMES)).toEqual([first, null]);
    await repo.git('update-ref', 'refs/heads/nocturnal/integration', second);
    expect(await cache.resolve(repo.path, NAMES)).toEqual([first, second]);
    expect(await cache.resolve(repo.path, NAMES)).toEqual([first, second]);
    expect(cache.stats).toEqual({ asked: 3, reused: 1 });
  });

  it('asks git again when a tag of the same name takes precedence over the branch', async () => {
    const { repo, first } = await repoWithTwoCommits();
    const cache = new CommitResolutionCache();
    await cache.resolve(repo.path, NAMES);
    // An annotated tag: git peels it to its commit (`^{commit}`), the cache keeps git's answer.
    await repo.git('tag', '-a', '-m', 'the tag', 'main', first);
    const answer = await cache.resolve(repo.path, NAMES);
    expect(answer).toEqual(await resolveCommits(repo.path, NAMES));
    expect(answer[0]).toBe(first);
    expect(cache.stats.asked).toBe(2);
  });

  it('follows packed refs through packed-refs: by content, or by stat data once settled when it is large', async () => {
    const { repo, first, second } = await repoWithTwoCommits();
    await repo.git('pack-refs', '--all', '--prune');
    expect(fs.existsSync(path.join(repo.path, '.git', 'refs', 'heads', 'main'))).toBe(false);
    const cache = new CommitResolutionCache();
    expect(await cache.resolve(repo.path, NAMES)).toEqual([second, null]);
    expect(await cache.resolve(repo.path, NAMES)).toEqual([second, null]);
    // Moved and packed again: no loose file changed, packed-refs holds another line.
    await repo.git('update-ref', 'refs/heads/main', first);
    await repo.git('pack-refs', '--all', '--prune');
    expect(await cache.resolve(repo.path, NAMES)).toEqual([first, null]);
    expect(cache.stats).toEqual({ asked: 2, reused: 1 });

    // Too large to read: its stat data stands for it, and not while it was just rewritten (a rewrite
    // in the same clock tick could leave that as it was).
    const unsettled = new CommitResolutionCache({ packedReadBytes: 0, settledMs: 60_000 });
    await unsettled.resolve(repo.path, NAMES);
    await unsettled.resolve(repo.path, NAMES);
    expect(unsettled.stats).toEqual({ asked: 2, reused: 0 });
    const byStat = new CommitResolutionCache({ packedReadBytes: 0, settledMs: 0 });
    expect(await byStat.resolve(repo.path, NAMES)).toEqual([first, null]);
    expect(await byStat.resolve(repo.path, NAMES)).toEqual([first, null]);
    await repo.git('update-ref', 'refs/heads/main', second);
    await repo.git('pack-refs', '--all', '--prune');
    expect(await byStat.resolve(repo.path, NAMES)).toEqual([second, null]);
    expect(byStat.stats).toEqual({ asked: 2, reused: 1 });
  });

  it('keeps nothing it cannot back with ref files', async () => {
    const { repo, second } = await repoWithTwoCommits();
    // Names that are not plain ref names, or read more than a loose file says.
    expect(refEvidence(repo.path, ['HEAD'])).toBeNull();
    expect(refEvidence(repo.path, [second.slice(0, 12)])).toBeNull();
    expect(refEvidence(repo.path, ['main~1'])).toBeNull();
    expect(refEvidence(repo.path, ['main'])).not.toBeNull();
    // A symbolic ref among the candidates.
    await repo.git('symbolic-ref', 'refs/remotes/main/HEAD', 'refs/heads/main');
    expect(refEvidence(repo.path, ['main'])).toBeNull();
    fs.rmSync(path.join(repo.path, '.git', 'refs', 'remotes'), { recursive: true });
    expect(refEvidence(repo.path, ['main'])).not.toBeNull();
    // A ref storage without loose files.
    fs.mkdirSync(path.join(repo.path, '.git', 'reftable'));
    expect(refEvidence(repo.path, ['main'])).toBeNull();
    fs.rmdirSync(path.join(repo.path, '.git', 'reftable'));

    // A linked worktree: its refs live in two folders.
    const home = await createTempDir();
    cleanups.push(home.cleanup);
    const linked = path.join(home.path, 'linked');
    await repo.git('worktree', 'add', '-q', '--detach', linked, 'main');
    expect(refEvidence(linked, ['main'])).toBeNull();
    const cache = new CommitResolutionCache();
    expect(await cache.resolve(linked, ['main'])).toEqual([second]);
    expect(await cache.resolve(linked, ['main'])).toEqual([second]);
    expect(cache.stats).toEqual({ asked: 2, reused: 0 });
  });
});
