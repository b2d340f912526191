// Changes waiting for a decision (`review:list`, kept live by `review:changed`) and the one open in the
// approval dialog (`review:get`), with the decisions: approve, reject, retry, undo.
import { create } from 'zustand';
import type { ReviewDetail, ReviewItem } from '../../src-shared/domain/review';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';
import type { ActionOutcome } from './tasks-store';

export interface ReviewState {
  items: Loadable<ReviewItem[]>;
  /** The attempt open in the dialog, if any. */
  openId: string | null;
  detail: Loadable<ReviewDetail> | null;
  busy: boolean;
  /** What the last decision did, in the engine's words (e.g. the merge note). */
  lastNote: string | null;
  actionError: string | null;
  /** Full details behind the report's cards (model review issues, the attempt's dates), by attempt. */
  cards: Record<string, Loadable<ReviewDetail>>;

  load(): Promise<void>;
  loadCard(attemptId: string): Promise<void>;
  itemsChanged(items: ReviewItem[]): void;
  open(attemptId: string): Promise<void>;
  close(): void;
  approve(attemptId: string): Promise<ActionOutcome>;
  reject(attemptId: string, note: string): Promise<ActionOutcome>;
  /** Rejects (if still waiting) and queues the task again with a note for the prompt. */
  retry(attemptId: string, taskId: string, note: string): Promise<ActionOutcome>;
  undo(attemptId: string): Promise<ActionOutcome>;
}

export type ReviewData = Pick<
  ReviewState,
  'items' | 'openId' | 'detail' | 'busy' | 'lastNote' | 'actionError' | 'cards'
>;
export const initialReviewData: ReviewData = {
  items: loading,
  openId: null,
  detail: null,
  busy: false,
  lastNote: null,
  actionError: null,
  cards: {},
};

export const useReviewStore = create<ReviewState>()((set, get) => {
  const fail = (message: string): ActionOutcome => {
    set({ busy: false, actionError: message });
    return message;
  };
  /** After a decision: refresh the list and the open detail so the dialog shows the new state. */
  const settle = async (note: string): Promise<ActionOutcome> => {
    set({ busy: false, actionError: null, lastNote: note });
    await get().load();
    const openId = get().openId;
    if (openId) await get().open(openId);
    return null;
  };
  return {
    ...initialReviewData,

    async load() {
      const result = await call('review:list', {});
      set({ items: 'error' in result ? loadError(result.error.message) : ready(result.data) });
    },

    async loadCard(attemptId) {
      const result = await call('review:get', { attemptId });
      set({
        cards: {
          ...get().cards,
          [attemptId]: 'error' in result ? loadError(result.error.message) : ready(result.data),
        },
      });
    },

    itemsChanged(items) {
      set({ items: ready(items) });
    },

    async open(attemptId) {
      if (get().openId !== attemptId) set({ openId: attemptId, detail: loading, lastNote: null, actionError: null });
      const result = await call('review:get', { attemptId });
      if (get().openId !== attemptId) return;
      set({ detail: 'error' in result ? loadError(result.error.message) : ready(result.data) });
    },

    close() {
      set({ openId: null, detail: null, lastNote: null, actionError: null });
    },

    async approve(attemptId) {
      set({ busy: true });
      const result = await call('review:approve', { attemptId });
      if ('error' in result) return fail(`Not approved: ${result.error.message}`);
      return settle(result.data.note);
    },

    async reject(attemptId, note) {
      set({ busy: true });
      const result = await call('review:reject', note.trim() ? { attemptId, note: note.trim() } : { attemptId });
      if ('error' in result) return fail(`Not rejected: ${result.error.message}`);
      return settle(`Rejected${result.data.reviewNote ? `: ${result.data.reviewNote}` : ''}`);
    },

    async retry(attemptId, taskId, note) {
      set({ busy: true });
      const detail = get().detail;
      const waiting =
        detail?.status === 'ready' && detail.data.attempt.id === attemptId && detail.data.attempt.status === 'review';
      if (waiting) {
        const rejected = await call('review:reject', note.trim() ? { attemptId, note: note.trim() } : { attemptId });
        if ('error' in rejected) return fail(`Not retried: ${rejected.error.message}`);
      }
      const retried = await call('tasks:retry', note.trim() ? { id: taskId, note: note.trim() } : { id: taskId });
      if ('error' in retried) return fail(`Not retried: ${retried.error.message}`);
      return settle(
        `Queued again for the next night${retried.data.retryNote ? ` with the note: ${retried.data.retryNote}` : ''}`,
      );
    },

    async undo(attemptId) {
      set({ busy: true });
      const result = await call('review:undo', { attemptId });
      if ('error' in result) return fail(`Not undone: ${result.error.message}`);
      return settle(result.data.note);
    },
  };
});
