// The session's pick follows the plan: priority first, then what fits the time left; a task that
// cannot finish waits and says why. Run against the real store's indexed next-task query.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskPriority } from '../../../../src-shared/domain/task';
import { openStore } from '../../store/store';
import type { Store } from '../../store/store';
import { estimateTask } from './estimate-task';
import type { PastAttempt } from './estimate-task';
import { heldBackReason, isHeldBackReason } from './held-back-reason';
import { nextFittingTask } from './next-fitting-task';
import type { TaskGroup } from './next-fitting-task';
import { planNight } from './plan-night';

let store: Store;
let short: string;
let long: string;
const now = new Date('2026-11-30T22:00:00Z');
beforeEach(() => {
  store = openStore(':memory:');
  const add = (name: string) =>
    store.workspaces.add(
      { name, path: `/repos/${name}`, baseBranch: 'main', targetBranch: 'nocturnal/integration', checks: {} },
      now,
    ).id;
  short = add('short');
  long = add('long');
});
afterEach(() => store.close());

/** Past attempts: a task in `short` takes 100 s (10 s of model at 10 tok/s + 90 s), one in `long` 2 h. */
const history: PastAttempt[] = [
  { workspaceId: 'short', executor: 'direct', cycles: 0, completionTokens: 100, durationMs: 100_000, modelMs: 10_000 },
  { workspaceId: 'long', executor: 'direct', cycles: 0, completionTokens: 100, durationMs: 7_210_000, modelMs: 10_000 },
];

function task(workspace: 'short' | 'long', title: string, priority: TaskPriority, minutesAgo: number): string {
  return store.tasks.add(
    {
      workspaceId: workspace === 'short' ? short : long,
      title,
      description: '',
      criteria: [],
      priority,
      executor: 'direct',
      files: [],
    },
    new Date(now.getTime() - minutesAgo * 60_000),
  ).id;
}

/** Estimates by workspace name, as the history above is keyed. */
function estimate(group: TaskGroup) {
  const name = group.workspaceId === short ? 'short' : 'long';
  return estimateTask({ workspaceId: name, executor: group.executor }, history, 10);
}

function pick(remainingMs: number | null) {
  const skips: number[] = [];
  const result = nextFittingTask({
    next: (skip) => {
      skips.push(skip.length);
      return store.tasks.next(skip);
    },
    estimate,
    remainingMs,
  });
  return { result, skips };
}

/** Runs picks as a session would, each task taking its estimate, until nothing starts. */
function night(windowMs: number): { ran: string[]; waits: string[] } {
  const ran: string[] = [];
  let left = windowMs;
  for (;;) {
    const { result } = pick(left);
    if (result.kind === 'empty') return { ran, waits: [] };
    if (result.kind === 'none-fits') return { ran, waits: result.heldBack.map((h) => h.task.title) };
    ran.push(result.task.title);
    store.tasks.transition(result.task.id, 'running', now);
    store.tasks.transition(result.task.id, 'merged', now);
    left -= (result.estimate?.seconds ?? 0) * 1000;
  }
}

describe('nextFittingTask', () => {
  it('keeps priority: a high task that fits runs before an older low one, however long it is', () => {
    task('short', 'old low', 'low', 60);
    task('long', 'long high', 'high', 1);
    const { result, skips } = pick(3 * 3_600_000);
    expect(result).toMatchObject({ kind: 'start', task: { title: 'long high' }, estimate: { seconds: 7210 } });
    expect(skips).toEqual([0]);
  });

  it('inside a priority, passes over a task that cannot finish in the time left and starts the next that fits', () => {
    task('long', 'long, oldest', 'high', 30);
    task('short', 'short, newer', 'high', 10);
    task('short', 'short low', 'low', 60);
    const { result, skips } = pick(600_000);
    expect(result).toMatchObject({ kind: 'start', task: { title: 'short, newer' }, estimate: { seconds: 100 } });
    // One more indexed query with the long group left out: no rescan of the queue.
    expect(skips).toEqual([0, 1]);
  });

  it('holds back a higher-priority task only when it cannot finish anyway, and never delays one that fits', () => {
    task('long', 'long critical', 'critical', 1);
    task('short', 'short medium', 'medium', 5);
    task('short', 'short low', 'low', 50);
    // 20 minutes: the critical task (2 h) waits for the next night, both short ones run, medium first.
    expect(night(20 * 60_000)).toEqual({ ran: ['short medium', 'short low'], waits: ['long critical'] });
    // With 3 hours it fits, and goes first.
    store.tasks.transition(store.tasks.next()?.id ?? '', 'cancelled', now);
    task('long', 'long critical 2', 'critical', 1);
    task('short', 'short medium 2', 'medium', 5);
    expect(night(3 * 3_600_000)).toEqual({ ran: ['long critical 2', 'short medium 2'], waits: [] });
  });

  it('with time for nothing, says which tasks wait and what each needs', () => {
    task('long', 'rewrite the parser', 'high', 10);
    task('short', 'fix a typo', 'low', 20);
    const { result } = pick(60_000);
    expect(result.kind).toBe('none-fits');
    if (result.kind !== 'none-fits') return;
    expect(result.heldBack.map((h) => [h.task.title, h.estimate.seconds])).toEqual([
      ['rewrite the parser', 7210],
      ['fix a typo', 100],
    ]);
    expect(heldBackReason(result.heldBack, 2, new Date('2026-11-30T22:01:00Z'))).toBe(
      '2 queued tasks do not fit the time left before 2026-11-30T22:01:00.000Z ("rewrite the parser" needs ~120.2 min, "fix a typo" needs ~1.7 min); they wait for the next night',
    );
    // The night scheduler tells such an end from others by it: it does not restart a session that would end the same.
    expect(isHeldBackReason(heldBackReason(result.heldBack, 2, undefined))).toBe(true);
    expect(isHeldBackReason(heldBackReason(result.heldBack.slice(0, 1), 1, undefined))).toBe(true);
    expect(isHeldBackReason('the queue is empty')).toBe(false);
    expect(isHeldBackReason(null)).toBe(false);
  });

  it('without an end time starts the queue head and estimates nothing', () => {
    task('long', 'long low', 'low', 10);
    const { result } = pick(null);
    expect(result).toMatchObject({ kind: 'start', task: { title: 'long low' }, estimate: null });
    store.tasks.transition(store.tasks.next()?.id ?? '', 'cancelled', now);
    expect(pick(null).result).toEqual({ kind: 'empty' });
  });

  it('starts what the plan at the start of the window lists first, pick after pick', () => {
    task('long', 'a long high', 'high', 40);
    task('short', 'b short high', 'high', 30);
    task('short', 'c short medium', 'medium', 50);
    task('long', 'd long low', 'low', 60);
    task('short', 'e short low', 'low', 5);
    const windowMs = 45 * 60_000;
    const plan = planNight({
      queue: store.tasks.queueHeads().map((t) => ({ ...t, workspaceId: t.workspaceId === short ? 'short' : 'long' })),
      history,
      speed: { tokensPerSecond: 10, contextSize: 4096, basis: 'test' },
      now,
      windowStart: now,
      windowEnd: new Date(now.getTime() + windowMs),
    });
    expect(plan.summary).toBe('3 of 5 tasks fit tonight; 2 wait for tomorrow');
    const { ran, waits } = night(windowMs);
    expect(ran).toEqual(plan.tasks.filter((t) => t.fits).map((t) => t.title));
    expect(ran).toEqual(['b short high', 'c short medium', 'e short low']);
    expect(waits).toEqual(['a long high']);
    expect(plan.tasks.filter((t) => !t.fits).map((t) => t.title)).toEqual(['a long high', 'd long low']);
  });
});
