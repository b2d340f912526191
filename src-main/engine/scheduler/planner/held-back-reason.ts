// Why a session stops while tasks are still queued: none of them fits the time left (issue 12's planner).
import type { HeldBack } from './next-fitting-task';

/**
 * "2 queued tasks do not fit the time left before 2026-12-01T05:00:00.000Z ("rewrite the parser" needs
 * ~600 min); they wait for the next night" — naming the task that would have run of each held-back
 * workspace and executor, with its estimate.
 */
export function heldBackReason(
  heldBack: readonly HeldBack<{ title: string }>[],
  queued: number,
  until: Date | undefined,
): string {
  const needs = heldBack
    .map((h) => `"${h.task.title}" needs ~${Math.round((h.estimate.seconds / 60) * 10) / 10} min`)
    .join(', ');
  const count = queued === 1 ? '1 queued task does' : `${queued} queued tasks do`;
  const before = until ? ` before ${until.toISOString()}` : '';
  return `${count} not fit the time left${before} (${needs}); ${queued === 1 ? 'it waits' : 'they wait'} for the next night`;
}

/** Whether a session ended because nothing queued fitted (so starting another now would end the same). */
export function isHeldBackReason(reason: string | null): boolean {
  return reason !== null && / not fit the time left[^;]*; (it waits|they wait) for the next night$/.test(reason);
}
