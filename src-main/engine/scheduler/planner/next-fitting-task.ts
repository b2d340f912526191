// Which queued task a session starts next (issue 12: "order by priority, then by what fits"). Pure: the
// session gives it the store's indexed next-task query and the planner's estimates, and this decides.
import type { TaskExecutor } from '../../../../src-shared/domain/task';
import type { TaskEstimate } from './estimate-task';

/** Tasks of one workspace and executor share an estimate (estimateTask reads nothing else of a task). */
export interface TaskGroup {
  workspaceId: string;
  executor: TaskExecutor;
}

export interface HeldBack<T> {
  /** The oldest task of the highest priority in the group: the one that would have run. */
  task: T;
  estimate: TaskEstimate;
}

export type NextPick<T> =
  | { kind: 'start'; task: T; estimate: TaskEstimate | null }
  | { kind: 'empty' }
  /** Tasks are queued, but none fits the time left: they wait for the next night. */
  | { kind: 'none-fits'; heldBack: HeldBack<T>[] };

export interface NextPickInput<T extends TaskGroup> {
  /** The first queued task in queue order (priority, then age), leaving out the given groups. */
  next: (skip: readonly TaskGroup[]) => T | undefined;
  estimate: (group: TaskGroup) => TaskEstimate;
  /** Time left before the session stops starting tasks; null when it has no end time. */
  remainingMs: number | null;
}

/**
 * First fit in queue order: the first task by priority, then age, whose estimate still fits the time
 * left. A task that cannot finish is passed over — it waits for the next night — and does not block the
 * ones behind it, whatever their priority; a task that fits is never put behind a lower-priority one.
 *
 * Why first fit and not shortest-first inside a priority: shortest-first finishes the most tasks before
 * a common deadline, but it puts an old long task behind every newer short one night after night, and
 * the estimates are medians per workspace and executor, so "shorter" would mostly mean "another
 * workspace". First fit keeps the order the user sees in `task list` and holds back only what cannot
 * finish; planNight applies the same rule, so the plan at the start is the order the session follows.
 *
 * Each pass over a group costs one indexed query: the picks of a night never rescan the queue.
 */
export function nextFittingTask<T extends TaskGroup>(input: NextPickInput<T>): NextPick<T> {
  const skip: TaskGroup[] = [];
  const heldBack: HeldBack<T>[] = [];
  for (;;) {
    const task = input.next(skip);
    if (!task) return heldBack.length > 0 ? { kind: 'none-fits', heldBack } : { kind: 'empty' };
    if (input.remainingMs === null) return { kind: 'start', task, estimate: null };
    const estimate = input.estimate(task);
    if (estimate.seconds * 1000 <= input.remainingMs) return { kind: 'start', task, estimate };
    heldBack.push({ task, estimate });
    skip.push({ workspaceId: task.workspaceId, executor: task.executor });
  }
}
