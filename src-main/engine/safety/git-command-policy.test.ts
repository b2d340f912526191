import { describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import { resolveCommit } from '../git/resolve-ref';
import { runGit } from '../git/run-git';
import { createGitCommandPolicy } from './git-command-policy';

describe('the git command policy', () => {
  it('lets the engine read a repository and refuses destructive commands before they run', async () => {
    const repo = await createTempRepo();
    try {
      const policy = createGitCommandPolicy([]);
      expect(await resolveCommit(repo.path, 'HEAD', { policy })).toMatch(/^[0-9a-f]{40}$/);
      await expect(runGit(repo.path, ['reset', '--hard', 'HEAD'], { policy })).rejects.toThrow(/command policy/);
      await expect(runGit(repo.path, ['clean', '-fdx'], { policy })).rejects.toThrow(/command policy/);
      await expect(runGit(repo.path, ['stash'], { policy })).rejects.toThrow(/command policy/);
    } finally {
      await repo.cleanup();
    }
  });

  it('applies safety.blocked_commands to git too', async () => {
    const repo = await createTempRepo();
    try {
      const policy = createGitCommandPolicy(['/ log -1$/']);
      await expect(runGit(repo.path, ['log', '-1'], { policy })).rejects.toThrow(/command policy/);
    } finally {
      await repo.cleanup();
    }
  });
});
