import { describe, expect, it } from 'vitest';
import { NocturnalError } from '../errors/nocturnal-error';
import { resolveCommits } from './resolve-commits';
import { observeGitSpawns } from './run-git';
import { createTempRepo } from './testing/temp-repo';

describe('resolveCommits', () => {
  it('resolves several revisions to commits in one git process', async () => {
    const repo = await createTempRepo();
    const spawned: string[][] = [];
    const stop = observeGitSpawns((args) => void spawned.push([...args]));
    try {
      const head = await repo.git('rev-parse', 'HEAD');
      await repo.git('tag', '-a', '-m', 'annotated', 'v1');
      spawned.length = 0;
      expect(await resolveCommits(repo.path, ['main', 'v1', head.slice(0, 12)])).toEqual([head, head, head]);
      expect(spawned).toHaveLength(1);
    } finally {
      stop();
      await repo.cleanup();
    }
  });

  it('answers null for a name that names nothing or no commit, and still resolves the others', async () => {
    const repo = await createTempRepo();
    try {
      const head = await repo.git('rev-parse', 'HEAD');
      const tree = await repo.git('rev-parse', 'HEAD^{tree}');
      expect(await resolveCommits(repo.path, ['no-such-branch', 'main', tree])).toEqual([null, head, null]);
      expect(await resolveCommits(repo.path, [])).toEqual([]);
    } finally {
      await repo.cleanup();
    }
  });

  it('refuses a revision that git would read as an option', async () => {
    const repo = await createTempRepo();
    try {
      await expect(resolveCommits(repo.path, ['main', '--all'])).rejects.toBeInstanceOf(NocturnalError);
    } finally {
      await repo.cleanup();
    }
  });
});
