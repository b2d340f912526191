import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { getRepositoryInfo } from './repository-info';
import { createTempDir, createTempRepo } from './testing/temp-repo';

describe('getRepositoryInfo', () => {
  it('describes a repository with commits on a branch', async () => {
    const repo = await createTempRepo();
    try {
      const sub = path.join(repo.path, 'src', 'deep');
      await mkdir(sub, { recursive: true });
      const info = await getRepositoryInfo(sub);
      expect(info).toEqual({
        isRepository: true,
        topLevel: repo.path,
        gitDir: path.join(repo.path, '.git'),
        commonDir: path.join(repo.path, '.git'),
        bare: false,
        objectFormat: 'sha1',
        hasCommits: true,
        currentBranch: 'main',
        headOid: await repo.git('rev-parse', 'HEAD'),
      });
    } finally {
      await repo.cleanup();
    }
  });

  it('reports an unborn branch as having no commits', async () => {
    const repo = await createTempRepo({ empty: true, branch: 'trunk' });
    try {
      expect(await getRepositoryInfo(repo.path)).toMatchObject({
        isRepository: true,
        hasCommits: false,
        currentBranch: 'trunk',
        headOid: null,
      });
    } finally {
      await repo.cleanup();
    }
  });

  it('reports a detached HEAD as no current branch', async () => {
    const repo = await createTempRepo();
    try {
      await repo.git('checkout', '--quiet', '--detach');
      expect(await getRepositoryInfo(repo.path)).toMatchObject({
        isRepository: true,
        hasCommits: true,
        currentBranch: null,
      });
    } finally {
      await repo.cleanup();
    }
  });

  it('recognises a bare repository', async () => {
    const dir = await createTempDir();
    try {
      const { runGit } = await import('./run-git');
      await runGit(dir.path, ['init', '--quiet', '--bare']);
      expect(await getRepositoryInfo(dir.path)).toMatchObject({
        isRepository: true,
        bare: true,
        topLevel: null,
        hasCommits: false,
      });
    } finally {
      await dir.cleanup();
    }
  });

  it('says no, with a reason, for a plain directory and for a missing path', async () => {
    const dir = await createTempDir();
    try {
      const plain = await getRepositoryInfo(dir.path);
      expect(plain.isRepository).toBe(false);
      const missing = await getRepositoryInfo(path.join(dir.path, 'nope'));
      expect(missing).toEqual({ isRepository: false, reason: `${path.join(dir.path, 'nope')} does not exist` });
    } finally {
      await dir.cleanup();
    }
  });
});
