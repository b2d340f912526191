// `nocturnal review show ATTEMPT` after a real night: the diff, the checks before and after and the
// score as the sum the window shows, read from the same review:get answer `--json` prints.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReviewDetail } from '../../src-shared/domain/review';
import { createNightFixture, editsReply, reviewReply } from './testing/night-fixture';
import type { NightFixture } from './testing/night-fixture';

let fixture: NightFixture | undefined;
afterEach(async () => {
  await fixture?.cleanup();
  fixture = undefined;
});

const buggyLine = '  return a - b;';

describe('nocturnal review show', () => {
  it('prints the diff, the checks before/after and a score breakdown that adds up to the total', async () => {
    // The model fixes the line it is shown; its own review is lukewarm, so the change waits for review.
    const f = (fixture = await createNightFixture({
      respond: (schema, prompt) => {
        if (schema !== 'nocturnal_edits') return reviewReply(0.2, 'revise', ['no test for the fix']);
        return prompt.includes(buggyLine)
          ? editsReply(
              [{ path: 'math.js', action: 'replace', search: buggyLine, replace: '  return a + b;' }],
              'fix add',
            )
          : editsReply([], 'nothing to fix');
      },
      env: { NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0' },
    }));
    expect(
      (await f.cli('workspace', 'add', f.repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check')).code,
    ).toBe(0);
    const id = (await f.cli('task', 'add', 'calc', 'Fix add()', '--file', 'math.js', '--json')).json<{ id: string }>()
      .id;
    expect((await f.cli('run', '--now')).code).toBe(0);
    const attemptId = `${(await f.cli('review', 'list', '--json')).json<{ attemptId: string }[]>()[0]?.attemptId}`;

    const json = await f.cli('review', 'show', attemptId, '--json');
    expect(json.code).toBe(0);
    const detail = json.json<ReviewDetail>();
    expect(detail.attempt).toMatchObject({ id: attemptId, taskId: id, status: 'review', decision: 'review' });
    expect(detail.checks).toEqual([
      expect.objectContaining({ name: 'test', command: 'node test.js', change: 'fixed' }),
    ]);
    const breakdown = detail.scoreBreakdown;
    if (!breakdown) throw new Error('expected a score breakdown');
    const sum =
      breakdown.contributions.checks +
      breakdown.contributions.progress +
      breakdown.contributions.review +
      breakdown.contributions.scope +
      breakdown.cap;
    expect(sum).toBeCloseTo(breakdown.total, 3);
    expect(breakdown.total).toBe(detail.attempt.score);

    const shown = await f.cli('review', 'show', attemptId);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    const lines = shown.stdout.split('\n');
    expect(lines[0]).toBe(`attempt ${attemptId} of task ${id} "Fix add()" (workspace calc)`);
    expect(lines).toContain('  test: failed (exit 1) → passed (fixed)  $ node test.js');
    // Each part as value × weight = what it adds, then the cap when a gate applied, then the total.
    for (const part of ['checks', 'progress', 'review', 'scope'] as const) {
      const value = breakdown[part];
      const adds = breakdown.contributions[part];
      expect(lines).toContain(
        `  ${part.padEnd(10)}${(value === null ? 'no evidence' : value.toFixed(2)).padEnd(13)}${breakdown.weights[part].toFixed(2).padEnd(8)}${adds < 0 ? adds.toFixed(3) : ` ${adds.toFixed(3)}`}`,
      );
    }
    expect(lines.some((line) => line.startsWith('  gates'))).toBe(breakdown.cap !== 0);
    expect(lines).toContain(`  ${'total'.padEnd(31)} ${breakdown.total.toFixed(3)}`);
    expect(lines).toContain('  review    0.20         0.20     0.040');
    expect(lines).toContain('model review: revise, score 0.20 (test-model)');
    expect(lines).toContain('  - no test for the fix');
    expect(lines).toContain('=== math.js (modified, +1 -1)');
    expect(lines).toContain('-  return a - b;');
    expect(lines).toContain('+  return a + b;');
  });

  it('exits 2 naming an unknown attempt', async () => {
    const f = (fixture = await createNightFixture({ respond: () => reviewReply(1) }));
    const run = await f.cli('review', 'show', 'a-nope', '--json');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"a-nope"');
  });
});
