// The merge result is checked again before the target moves when the target moved since the base: the
// attempt's own commit passes its checks, but merged with what landed on the target meanwhile it fails,
// so it is held for review and the target stays where it was.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { createTempDir } from '../engine/git/testing/temp-repo';
import { createNightFixture, editsReply, mathTest, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

describe('before the target moves', () => {
  it('holds a change whose merge with a moved target fails a check that passes on the change itself', async () => {
    const f = await createNightFixture({
      respond: (schema) =>
        schema === 'nocturnal_edits'
          ? editsReply([
              { path: 'math.js', action: 'replace', search: '  return a - b;', replace: '  return a + b;' },
              {
                path: 'test.js',
                action: 'replace',
                search: "console.log('all tests passed');",
                replace: "assert.strictEqual(mul(3, 3), 9);\nconsole.log('all tests passed');",
              },
            ])
          : reviewReply(0.95),
    });
    fixture = f;
    // Work landed on the target meanwhile: mul() was renamed times() (in another worktree, then removed).
    const side = await createTempDir('nocturnal-side-');
    const sidePath = path.join(side.path, 'wt');
    await f.repo.git('worktree', 'add', '--quiet', '-b', 'nocturnal/integration', sidePath, 'main');
    fs.writeFileSync(
      path.join(sidePath, 'math.js'),
      fs.readFileSync(path.join(sidePath, 'math.js'), 'utf8').replaceAll('mul', 'times'),
    );
    fs.writeFileSync(path.join(sidePath, 'test.js'), mathTest.replaceAll('mul', 'times'));
    await f.repo.git('-C', sidePath, 'commit', '--quiet', '--no-verify', '-am', 'rename mul to times');
    await f.repo.git('worktree', 'remove', sidePath);
    await side.cleanup();
    // And the base moved on too, so the target does not contain it.
    await f.repo.commit({ 'CHANGELOG.md': '# changes\n' }, 'changelog');
    const targetBefore = await f.repo.git('rev-parse', 'nocturnal/integration');

    expect((await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js')).code).toBe(0);
    const id = (
      await f.cli(
        'task',
        'add',
        'calc',
        'Fix add()',
        '--json',
        '--criteria',
        'add(2, 3) returns 5',
        '--file',
        'math.js',
      )
    ).json<{ id: string }>().id;
    const before = await f.userView();
    expect((await f.cli('run', '--now')).code).toBe(0);
    expect(await f.userView()).toEqual(before);

    const task = (await f.cli('task', 'show', id, '--json')).json<Task>();
    expect(task.attempts[0]?.checksAfter?.[0]?.passed).toBe(true);
    expect(task.attempts[0]).toMatchObject({ status: 'review', decision: 'held' });
    expect(task.statusReason).toBe(
      'nocturnal/integration moved since the base, and the merge result fails the test check(s) that pass on the change itself: held for review',
    );
    expect(await f.repo.git('rev-parse', 'nocturnal/integration')).toBe(targetBefore);
    expect(await f.repo.git('worktree', 'list')).not.toContain('merge-check');
  });
});
