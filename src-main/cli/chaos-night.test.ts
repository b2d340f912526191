// The short chaos night for CI (the long one is `npm run bench:chaos`): real nights in a child
// process, SIGKILLed at random points of the model call, the checks and the merge, and restarted.
import { describe, expect, it } from 'vitest';
import { runChaosNight } from './testing/chaos-harness';

describe('a night killed at random points', () => {
  it('loses no task, merges nothing twice, leaves no worktree and never touches the user checkout', async () => {
    const seed = Date.now() % 2 ** 31;
    const result = await runChaosNight({ kills: 5, tasks: 3, seed });
    // The seed repeats a failing run: `npx tsx bench/chaos-night.ts --kills 5 --seed <seed>`.
    expect({
      seed,
      kills: result.kills,
      lostTasks: result.lostTasks,
      duplicateMerges: result.duplicateMerges,
      orphanWorktrees: result.orphanWorktrees,
      checkoutChanges: result.checkoutChanges,
    }).toEqual({
      seed,
      kills: 5,
      lostTasks: 0,
      duplicateMerges: 0,
      orphanWorktrees: 0,
      checkoutChanges: 0,
    });
    // Every task the chaos queued was worked to the end by the final, uninterrupted night.
    expect(result.statuses['queued'] ?? 0).toBe(0);
    expect(result.merged).toBe(result.tasks);
  }, 300_000);
});
