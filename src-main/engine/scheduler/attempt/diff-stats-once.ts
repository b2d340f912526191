// The diff between two commits of one attempt, asked of git once: the check stage (which dependency
// files changed), the evaluate stage (the change's size) and the review (its text) all need it for the
// same base and head, and two commits' diff never changes. One process gives both the sizes and the
// text (git/diff-change). Kept per attempt (keyed by its recorder), so nothing outlives it.
import { getDiffChange } from '../../git/diff-change';
import type { DiffChange } from '../../git/diff-change';
import type { DiffStats } from '../../git/diff-stats';
import type { ReadyRun } from './attempt-run';

/** The diff text the prompts get (review, change-failure classification): 48 KiB. */
export const ATTEMPT_DIFF_MAX_BYTES = 48 * 1024;

const perAttempt = new WeakMap<object, Map<string, Promise<DiffChange>>>();

export function diffOnce(run: ReadyRun, base: string, head: string): Promise<DiffChange> {
  let known = perAttempt.get(run.record);
  if (known === undefined) {
    known = new Map();
    perAttempt.set(run.record, known);
  }
  const key = `${base}..${head}`;
  let change = known.get(key);
  if (change === undefined) {
    change = getDiffChange(run.workspace.path, base, head, { ...run.deps.git, maxBytes: ATTEMPT_DIFF_MAX_BYTES });
    // A failure is not remembered: the next stage asks git again.
    change.catch(() => known.delete(key));
    known.set(key, change);
  }
  return change;
}

export async function diffStatsOnce(run: ReadyRun, base: string, head: string): Promise<DiffStats> {
  return (await diffOnce(run, base, head)).stats;
}
