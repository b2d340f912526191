// `nocturnal retry --failed` after a real night with a failed, a rejected and a merged task: the two
// failures go back to the queue at once, the merged one stays, and a second call has nothing to do.
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src-shared/domain/records';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const buggyLine = '  return a - b;';

async function setUp(): Promise<NightFixture> {
  const f = (fixture = await createNightFixture({
    respond: (schema, prompt) => {
      if (schema !== 'nocturnal_edits') return reviewReply(0.95);
      if (prompt.includes('Broken task')) return { content: 'this is not JSON at all' };
      if (prompt.includes('Hostile task'))
        return editsReply([{ path: '.git/config', action: 'write', content: '[core]\n' }]);
      return prompt.includes(buggyLine)
        ? editsReply([{ path: 'math.js', action: 'replace', search: buggyLine, replace: '  return a + b;' }])
        : editsReply([]);
    },
  }));
  expect(
    (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
  ).toBe(0);
  return f;
}

async function addTask(f: NightFixture, title: string, priority: string): Promise<string> {
  return (await f.cli('task', 'add', 'calc', title, '--priority', priority, '--file', 'math.js', '--json')).json<{
    id: string;
  }>().id;
}

describe('nocturnal retry --failed', () => {
  it('queues every failed and rejected task of the latest night again, and says so', async () => {
    const f = await setUp();
    expect((await f.cli('retry', '--failed')).stdout).toBe('no session has run yet: nothing to retry\n');
    const broken = await addTask(f, 'Broken task', 'critical');
    const hostile = await addTask(f, 'Hostile task', 'high');
    const good = await addTask(f, 'Fix add()', 'low');
    expect((await f.cli('run', '--now')).code).toBe(0);
    const statusOf = async (id: string) => (await f.cli('task', 'show', id, '--json')).json<Task>().status;
    expect([await statusOf(broken), await statusOf(hostile), await statusOf(good)]).toEqual([
      'failed',
      'rejected',
      'merged',
    ]);
    const sessionId = (await f.cli('report', '--json')).json<{ session: { id: string } }>().session.id;

    const run = await f.cli('retry', '--failed', '--note', 'answer in JSON');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^queued ${broken} again \\(was failed\\): Broken task — `));
    expect(lines[1]).toMatch(new RegExp(`^queued ${hostile} again \\(was rejected\\): Hostile task — .*inside \\.git`));
    expect(lines[2]).toBe(`2 tasks of session ${sessionId} back in the queue`);
    expect([await statusOf(broken), await statusOf(hostile), await statusOf(good)]).toEqual([
      'queued',
      'queued',
      'merged',
    ]);
    expect((await f.cli('task', 'show', broken, '--json')).json<Task>().retryNote).toBe('answer in JSON');

    const again = await f.cli('retry', '--failed', '--session', sessionId);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`nothing to retry: session ${sessionId} left no failed or rejected task\n`);
  });

  it('exits 2 for an unknown session, a task id together with --failed, or nothing named', async () => {
    const f = await setUp();
    const unknown = await f.cli('retry', '--failed', '--session', 's-nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"s-nope"');
    const both = await f.cli('retry', 't-1', '--failed');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    const neither = await f.cli('retry');
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--failed');
  });
});
