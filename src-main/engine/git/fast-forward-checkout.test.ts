import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fastForwardCheckout } from './fast-forward-checkout';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'a.txt': 'a\n' } });
});
afterEach(async () => {
  await repo.cleanup();
});

describe('fastForwardCheckout', () => {
  it('holds when the worktree has switched to another branch since the caller looked', async () => {
    await repo.git('checkout', '--quiet', '-b', 'ahead');
    const ahead = await repo.commit({ 'b.txt': 'b\n' });
    await repo.git('checkout', '--quiet', '-b', 'elsewhere', 'main');
    const before = await snapshotCheckout(repo.path);
    const result = await fastForwardCheckout({
      repoPath: repo.path,
      worktreePath: repo.path,
      branch: 'main',
      targetCommit: ahead,
      backupName: 'x',
    });
    expect(result).toMatchObject({ kind: 'held', reason: 'branch-switched' });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });

  it('treats an incoming file under an ignored file of the same name as in the way', async () => {
    await repo.commit({ '.gitignore': 'cache\n' });
    await repo.git('checkout', '--quiet', '-b', 'ahead');
    const ahead = await repo.commit({ '.gitignore': '', 'cache/data.txt': 'tracked now\n' });
    await repo.git('checkout', '--quiet', 'main');
    await repo.write({ cache: 'the user’s ignored cache file\n' });
    const before = await snapshotCheckout(repo.path);
    const result = await fastForwardCheckout({
      repoPath: repo.path,
      worktreePath: repo.path,
      branch: 'main',
      targetCommit: ahead,
      backupName: 'x',
    });
    expect(result).toMatchObject({ kind: 'held', reason: 'would-overwrite-ignored' });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });
});
