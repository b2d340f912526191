// The diff between two commits of one attempt, asked of git once: the check stage (which dependency
// files changed) and the evaluate stage (the change's size) both need it for the same base and head,
// and two commits' diff never changes. Kept per attempt (keyed by its recorder), so nothing outlives it.
import { getDiffStats } from '../../git/diff-stats';
import type { DiffStats } from '../../git/diff-stats';
import type { ReadyRun } from './attempt-run';

const perAttempt = new WeakMap<object, Map<string, Promise<DiffStats>>>();

export function diffStatsOnce(run: ReadyRun, base: string, head: string): Promise<DiffStats> {
  let known = perAttempt.get(run.record);
  if (known === undefined) {
    known = new Map();
    perAttempt.set(run.record, known);
  }
  const key = `${base}..${head}`;
  let stats = known.get(key);
  if (stats === undefined) {
    stats = getDiffStats(run.workspace.path, base, head, run.deps.git);
    // A failure is not remembered: the next stage asks git again.
    stats.catch(() => known.delete(key));
    known.set(key, stats);
  }
  return stats;
}
