// pinnedGit's filter list is asked of git once per configuration content: a repeat with the same
// config spawns nothing, and any change to a file git reads its config from (or an included file,
// which the key cannot see) gets the new list before git runs with it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinnedGit } from './engine-worktree';
import type { EngineWorktree } from './engine-worktree';
import { observeGitSpawns } from './run-git';
import type { TempRepo } from './testing/temp-repo';
import { createTempWorktree } from './testing/temp-worktree';
import type { TempWorktree } from './testing/temp-worktree';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let worktree: EngineWorktree;

let fixture: TempWorktree;
beforeEach(async () => {
  fixture = await createTempWorktree({ files: { 'a.txt': 'a\n' }, branch: 'attempt' });
  ({ repo, home, worktree } = fixture);
});
afterEach(() => fixture.cleanup());

/** The filter settings pinnedGit hands git, and how many git processes the lookup spawned. */
async function lookup(): Promise<{ config: readonly string[]; spawned: number }> {
  let spawned = 0;
  const stop = observeGitSpawns(() => spawned++);
  try {
    const call = await pinnedGit(worktree, {});
    return { config: call.pinned?.config ?? [], spawned };
  } finally {
    stop();
  }
}

describe('pinnedGit filter list', () => {
  it('asks git again only when the configuration changed, and neutralises a driver added later', async () => {
    await repo.git('config', 'filter.lfs.clean', 'git-lfs clean -- %f');
    const first = await lookup();
    expect(first.spawned).toBe(1);
    expect(first.config).toContain('filter.lfs.clean=');
    // Same configuration: the list git gave holds, no process.
    expect(await lookup()).toEqual({ config: first.config, spawned: 0 });

    // A driver added to the repository's config (by the user, or by anything else) is covered at once.
    await repo.git('config', 'filter.evil.clean', 'sh -c "touch /tmp/never"');
    const second = await lookup();
    expect(second.spawned).toBe(1);
    expect(second.config).toEqual(expect.arrayContaining(['filter.evil.clean=', 'filter.lfs.clean=']));
  });

  it('asks git every time when the configuration includes another file', async () => {
    const included = path.join(home.path, 'included.gitconfig');
    writeFileSync(included, '');
    await repo.git('config', 'include.path', included);
    expect((await lookup()).spawned).toBe(1);
    // The included file changes; the repository's own config does not.
    writeFileSync(included, '[filter "planted"]\n\tclean = sh -c "touch /tmp/never"\n');
    const after = await lookup();
    expect(after.spawned).toBe(1);
    expect(after.config).toContain('filter.planted.clean=');
  });
});
