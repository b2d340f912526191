// Nights whose check goes for the worktree's git wiring (a rewritten .git, a planted git dir with a
// filter, a config.worktree) or deletes the repository mid-night, through the real CLI, with the
// sandbox on and off. Split from hostile-night.test.ts (the attacks on the machine) so the two slowest
// suites run side by side on two cores.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { createTempDir } from '../engine/git/testing/temp-repo';
import { listWorktrees } from '../engine/git/list-worktrees';
import {
  adminConfigScript,
  deleteFolderScript,
  plantedFilterScript,
  rewriteDotGitScript,
  stageFileScript,
} from './testing/hostile-scripts';
import { createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

const tag = `${process.pid}-${Date.now()}`;
let fakeHome: { path: string; cleanup(): Promise<void> };
let fixture: NightFixture | undefined;

beforeAll(async () => {
  // The user's home as the CLI sees it (HOME in its environment).
  fakeHome = await createTempDir('nocturnal-user-home-');
});
afterAll(async () => {
  await fakeHome.cleanup();
});
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

/**
 * A night whose hostile check goes for the worktree's git wiring, with the sandbox on (the wiring is
 * read-only: the attempt simply fails its check) or off (the check CAN rewrite it: the engine must
 * neither follow it nor commit anything, and must fail the attempt saying why). Either way the
 * marker a filter would write stays absent, the user's checkout, branches and index are byte for
 * byte what they were, no worktree stays registered or on disk, and the next task still merges.
 */
async function tamperNight(
  sandbox: 'auto' | 'off',
  script: (f: NightFixture, marker: string) => string,
  setUp?: (f: NightFixture) => Promise<void>,
) {
  const marker = path.join(
    os.tmpdir(),
    `nocturnal-filter-marker-${tag}-${sandbox}-${Math.random().toString(36).slice(2)}`,
  );
  let hostileSource = '';
  const f = await createNightFixture({
    env: {
      HOME: fakeHome.path,
      NOCTURNAL_SAFETY_SANDBOX: sandbox,
      // A second cycle: on the old code that is when the engine committed through a rewritten .git.
      NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '1',
      NOCTURNAL_SAFETY_CHECK_TIMEOUT_S: '30',
    },
    respond: (schema, prompt) => {
      if (schema === 'nocturnal_review') return reviewReply(prompt.includes('Hostile') ? 1 : 0.95);
      if (prompt.includes('Hostile'))
        return editsReply([{ path: 'hostile.test.js', action: 'write', content: hostileSource }], 'add a test');
      return editsReply(
        [
          { path: 'hostile.test.js', action: 'write', content: mathTest },
          { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' },
        ],
        'fix add',
      );
    },
  });
  fixture = f;
  await setUp?.(f);
  hostileSource = script(f, marker);
  expect(
    (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node hostile.test.js', '--no-check'))
      .stderr,
  ).toBe('');
  const before = await f.userView();
  const indexBytes = fs.readFileSync(path.join(f.repo.path, '.git', 'index'));
  const hostileId = (await f.cli('task', 'add', 'calc', 'Hostile test', '--priority', 'high', '--json')).json<{
    id: string;
  }>().id;
  const goodId = (await f.cli('task', 'add', 'calc', 'Fix add()', '--priority', 'low', '--json')).json<{ id: string }>()
    .id;
  expect((await f.cli('run', '--now')).code).toBe(0);

  const hostile = (await f.cli('task', 'show', hostileId, '--json')).json<Task>();
  const good = (await f.cli('task', 'show', goodId, '--json')).json<Task>();
  expect(fs.existsSync(marker)).toBe(false);
  expect(await f.userView()).toEqual(before);
  expect(fs.readFileSync(path.join(f.repo.path, '.git', 'index')).equals(indexBytes)).toBe(true);
  expect(await f.repo.git('log', '-1', '--format=%s', 'main')).toBe('initial commit');
  expect((await listWorktrees(f.repo.path)).map((w) => w.path)).toEqual([f.repo.path]);
  const workspaceDirs = path.join(f.home, 'worktrees');
  for (const ws of fs.existsSync(workspaceDirs) ? fs.readdirSync(workspaceDirs) : [])
    expect(fs.readdirSync(path.join(workspaceDirs, ws))).toEqual([]);
  expect(good.status).toBe('merged');
  // The closed hostile attempt's branch is gone from `git branch`, kept only as a hidden backup ref.
  const attemptId = hostile.attempts[0]?.id ?? '';
  expect(await f.repo.git('for-each-ref', '--format=%(refname)', `refs/heads/nocturnal/${hostileId}`)).toBe('');
  expect(await f.repo.git('for-each-ref', '--format=%(refname)', `refs/nocturnal/backups/${attemptId}`)).toMatch(
    new RegExp(`^refs/nocturnal/backups/${attemptId}/`),
  );
  return {
    f,
    hostile,
    output: hostile.attempts[0]?.checksAfter?.[0]?.output ?? hostile.attempts[0]?.checksBefore?.[0]?.output ?? '',
  };
}

const TAMPERED = /the checks tampered with the worktree's git metadata \(.*\): attempt failed, nothing committed/;

describe("a check that goes for the worktree's git wiring", () => {
  it('rewrites .git to point at the user repository: read-only in the sandbox', async () => {
    const { hostile, output } = await tamperNight('auto', (f) => rewriteDotGitScript(path.join(f.repo.path, '.git')));
    expect(output).toMatch(/failed \.git: E(ROFS|BUSY|PERM|ACCES)/);
    expect(hostile.status).toBe('rejected');
  });

  it('rewrites .git to point at the user repository with the sandbox off: the engine commits nothing there and fails the attempt', async () => {
    const { hostile } = await tamperNight('off', (f) => rewriteDotGitScript(path.join(f.repo.path, '.git')));
    expect(hostile.status).toBe('failed');
    expect(hostile.statusReason).toMatch(TAMPERED);
    expect(hostile.statusReason).toContain('.git file rewritten');
  });

  it('points .git at a planted git dir whose config has a clean filter: the filter never runs, sandbox on', async () => {
    const { hostile, output } = await tamperNight('auto', (_f, marker) => plantedFilterScript(marker));
    expect(output).toMatch(/did configure the filter/);
    expect(output).toMatch(/failed \.git: E(ROFS|BUSY|PERM|ACCES)/);
    expect(hostile.status).toBe('rejected');
  });

  it('points .git at a planted git dir whose config has a clean filter: the filter never runs, sandbox off', async () => {
    const { hostile } = await tamperNight('off', (_f, marker) => plantedFilterScript(marker));
    expect(hostile.status).toBe('failed');
    expect(hostile.statusReason).toMatch(TAMPERED);
  });

  it('writes config.worktree into the admin folder plus a .gitattributes selecting its filter: refused in the sandbox, caught without it', async () => {
    const worktreeConfig = async (f: NightFixture) => {
      await f.repo.git('config', 'core.repositoryformatversion', '1');
      await f.repo.git('config', 'extensions.worktreeConfig', 'true');
    };
    const sandboxed = await tamperNight('auto', (_f, marker) => adminConfigScript(marker), worktreeConfig);
    expect(sandboxed.output).toMatch(/failed config\.worktree: E(ROFS|PERM|ACCES)/);
    expect(sandboxed.hostile.status).toBe('rejected');
    await fixture?.cleanup();
    fixture = undefined;

    const { hostile } = await tamperNight('off', (_f, marker) => adminConfigScript(marker), worktreeConfig);
    expect(hostile.status).toBe('failed');
    expect(hostile.statusReason).toMatch(TAMPERED);
    expect(hostile.statusReason).toContain('config.worktree was added');
  });

  it("stages a file in the worktree's index: refused in the sandbox, caught without it before any commit carries it", async () => {
    const sandboxed = await tamperNight('auto', () => stageFileScript());
    expect(sandboxed.output).toMatch(/failed stage payload\.txt: 128/);
    expect(sandboxed.hostile.status).toBe('rejected');
    await fixture?.cleanup();
    fixture = undefined;

    // Without the sandbox the next cycle's commit stages in the index itself (commit-all's
    // `--include`), which would carry payload.txt along: the check's integrity check ends the attempt first.
    const { f, hostile } = await tamperNight('off', () => stageFileScript());
    expect(hostile.status).toBe('failed');
    expect(hostile.statusReason).toMatch(TAMPERED);
    expect(hostile.statusReason).toContain("files were staged in the worktree's index");
    const branches = await f.repo.git('for-each-ref', '--format=%(refname)', 'refs/nocturnal/backups/');
    for (const ref of branches.split('\n').filter((r) => r !== ''))
      expect(await f.repo.git('ls-tree', '-r', '--name-only', ref)).not.toContain('payload.txt');
  });
});

describe('a workspace deleted in the middle of the night', () => {
  it('fails its attempts with a reason a person can read and leaves no worktree behind', async () => {
    const f = await createNightFixture({
      env: { HOME: fakeHome.path, NOCTURNAL_SAFETY_SANDBOX: 'off', NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0' },
      respond: (schema) =>
        schema === 'nocturnal_review'
          ? reviewReply(1)
          : editsReply([{ path: 'hostile.test.js', action: 'write', content: deleteFolderScript(f.repo.path) }]),
    });
    fixture = f;
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node hostile.test.js', '--no-check'))
        .stderr,
    ).toBe('');
    const first = (await f.cli('task', 'add', 'calc', 'Delete the repository', '--priority', 'high', '--json')).json<{
      id: string;
    }>().id;
    const second = (await f.cli('task', 'add', 'calc', 'Next task', '--priority', 'low', '--json')).json<{
      id: string;
    }>().id;
    expect((await f.cli('run', '--now')).code).toBe(0);
    for (const id of [first, second]) {
      const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
      expect(task.status, id).toBe('failed');
      expect(task.statusReason, id).toBe(
        `the workspace's repository ${f.repo.path} no longer exists (deleted or moved during the night): attempt failed, nothing committed`,
      );
    }
    expect(fs.existsSync(f.repo.path)).toBe(false);
    const workspaceDirs = path.join(f.home, 'worktrees');
    for (const ws of fs.existsSync(workspaceDirs) ? fs.readdirSync(workspaceDirs) : [])
      expect(fs.readdirSync(path.join(workspaceDirs, ws))).toEqual([]);
  });
});
