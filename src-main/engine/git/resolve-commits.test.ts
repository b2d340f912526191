import { afterEach, describe, expect, it } from 'vitest';
import { resolveCommits } from './resolve-commits';
import { observeGitSpawns } from './run-git';
import { topLevelNames } from './top-level-names';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('resolveCommits', () => {
  it('answers several revisions in order from at most one git process per revision, null for what names no commit', async () => {
    repo = await createTempRepo({ files: { 'a.txt': 'a\n', 'src/b.txt': 'b\n' } });
    const first = await repo.git('rev-parse', 'HEAD');
    const second = await repo.commit({ 'a.txt': 'changed\n' });
    await repo.git('tag', '-a', '-m', 'annotated', 'v1', first);
    const tree = await repo.git('rev-parse', 'HEAD^{tree}');
    expect(await resolveCommits(repo.path, ['main', 'refs/heads/missing', 'v1', tree, 'HEAD~1'])).toEqual([
      second,
      null,
      first,
      null,
      first,
    ]);
    expect(await resolveCommits(repo.path, [])).toEqual([]);
    await expect(resolveCommits(repo.path, ['--all'])).rejects.toThrow(/not a usable git revision/);
  });

  it('takes one git process when every revision names a commit', async () => {
    repo = await createTempRepo();
    const head = await repo.git('rev-parse', 'HEAD');
    const spawned: string[][] = [];
    const stop = observeGitSpawns((args) => void spawned.push([...args]));
    try {
      expect(await resolveCommits(repo.path, ['main', head.slice(0, 12), 'HEAD'])).toEqual([head, head, head]);
    } finally {
      stop();
    }
    expect(spawned).toHaveLength(1);
    // A target branch that does not exist yet (before the first merge) costs no second process.
    spawned.length = 0;
    const again = observeGitSpawns((args) => void spawned.push([...args]));
    try {
      expect(await resolveCommits(repo.path, ['main', 'refs/heads/nocturnal/integration'])).toEqual([head, null]);
    } finally {
      again();
    }
    expect(spawned).toHaveLength(1);
  });
});

describe('topLevelNames', () => {
  it('lists the names at the root of a commit, files and folders, not below', async () => {
    repo = await createTempRepo({ files: { 'package.json': '{}\n', 'src/lock.json': '{}\n' } });
    const commit = await repo.git('rev-parse', 'HEAD');
    expect([...(await topLevelNames(repo.path, commit))].sort()).toEqual(['package.json', 'src']);
  });
});
