// `nocturnal workspace remove NAME` after a real night: it says what it would delete and needs --force
// when tasks exist; with it, the attempt branches (backed up), the engine's worktrees and the tasks go,
// while the user's checkout, stash, hooks and own branches stay exactly as they were.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task, Workspace } from '../../src-shared/domain/records';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const buggyLine = '  return a - b;';

async function setUp(): Promise<NightFixture> {
  // The model fixes what it is shown; its lukewarm review holds the change for review (branch kept).
  const f = (fixture = await createNightFixture({
    respond: (schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(0.2, 'revise');
      return prompt.includes(buggyLine)
        ? editsReply([{ path: 'math.js', action: 'replace', search: buggyLine, replace: '  return a + b;' }])
        : editsReply([]);
    },
    env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0' },
  }));
  expect(
    (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
  ).toBe(0);
  return f;
}

const refExists = async (f: NightFixture, ref: string) =>
  (await f.repo.git('for-each-ref', '--format=%(refname)', ref)).trim() !== '';

describe('nocturnal workspace remove', () => {
  it('lists what it would delete and needs --force when tasks exist; then deletes only what the engine made', async () => {
    const f = await setUp();
    const held = (await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js', '--json')).json<Task>().id;
    expect((await f.cli('run', '--now', '--max-tasks', '1')).code).toBe(0);
    const queued = (await f.cli('task', 'add', 'calc', 'Later', '--json')).json<Task>().id;
    const attempt = (await f.cli('task', 'show', held, '--json')).json<Task>().attempts[0];
    expect(attempt?.status).toBe('review');
    const branch = attempt?.branch ?? '?';
    const workspaceId = (await f.cli('workspace', 'list', '--json')).json<Workspace[]>()[0]?.id ?? '?';
    // A pooled worktree the engine keeps under its root.
    const pooled = path.join(f.home, 'worktrees', workspaceId, 'pool-1');
    await f.repo.git('worktree', 'add', '--detach', pooled, 'main');
    const before = await f.userView();

    const refused = await f.cli('workspace', 'remove', 'calc');
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toContain('workspace "calc" has 2 tasks; removing it would delete:');
    expect(refused.stderr).toContain('tasks: 2 (1 review, 1 queued)');
    expect(refused.stderr).toContain(`${held} review: Fix add()`);
    expect(refused.stderr).toContain(`${queued} queued: Later`);
    expect(refused.stderr).toContain(`attempts waiting for review: ${attempt?.id}`);
    expect(refused.stderr).toContain(`attempt branches: ${branch} (each backed up`);
    expect(refused.stderr).toContain(`engine worktrees: ${fs.realpathSync(pooled)}`);
    expect(refused.stderr).toContain('workspace remove calc --force');
    // Nothing happened.
    expect((await f.cli('task', 'list', '--json')).json<Task[]>()).toHaveLength(2);
    expect(await refExists(f, `refs/heads/${branch}`)).toBe(true);
    expect(fs.existsSync(pooled)).toBe(true);

    const removed = await f.cli('workspace', 'remove', 'calc', '--force');
    expect(removed.stderr).toBe('');
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('removing workspace "calc":');
    expect(removed.stdout).toContain(`removed workspace "calc"; ${fs.realpathSync(f.repo.path)} (its checkout`);
    expect((await f.cli('workspace', 'list', '--json')).json()).toEqual([]);
    expect((await f.cli('task', 'list', '--json')).json()).toEqual([]);
    expect(await refExists(f, `refs/heads/${branch}`)).toBe(false);
    // The branch's last commit is kept under a backup ref.
    expect(await f.repo.git('for-each-ref', '--format=%(objectname)', 'refs/nocturnal/backups/')).toContain(
      attempt?.headCommit ?? '?',
    );
    expect(fs.existsSync(pooled)).toBe(false);
    expect(
      (await f.repo.git('worktree', 'list', '--porcelain')).split('\n').filter((l) => l.startsWith('worktree ')),
    ).toHaveLength(1);
    expect(await f.userView()).toEqual(before);
  });

  it('removes a workspace without tasks directly', async () => {
    const f = await setUp();
    const before = await f.userView();
    const run = await f.cli('workspace', 'remove', 'calc');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('  tasks: none');
    expect(run.stdout).toContain(
      `removed workspace "calc"; ${fs.realpathSync(f.repo.path)} (its checkout, its own branches and nocturnal/integration) was not touched`,
    );
    expect((await f.cli('workspace', 'list', '--json')).json()).toEqual([]);
    expect(await f.userView()).toEqual(before);
  });
});
