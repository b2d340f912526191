// The engine's status (night, session, queue counts, waiting reviews) and what the running session is
// doing right now, from `status:get`, `status:changed` and `session:progress`.
import { create } from 'zustand';
import type { EngineStatus } from '../../src-shared/domain/app-state';
import type { AttemptStage, SessionProgress } from '../../src-shared/domain/progress';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';

export interface CurrentWork {
  taskId: string;
  title: string;
  stage: AttemptStage | null;
  message: string | null;
}

export interface StatusState {
  status: Loadable<EngineStatus>;
  current: CurrentWork | null;
  /** The latest progress line (paused, model loading, finished …) in words. */
  lastEvent: string | null;
  starting: boolean;
  actionError: string | null;

  load(): Promise<void>;
  statusChanged(status: EngineStatus): void;
  progress(event: SessionProgress): void;
  /** "Run now": a session over the queue, whatever the clock says. */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export type StatusData = Pick<StatusState, 'status' | 'current' | 'lastEvent' | 'starting' | 'actionError'>;
export const initialStatusData: StatusData = {
  status: loading,
  current: null,
  lastEvent: null,
  starting: false,
  actionError: null,
};

export const useStatusStore = create<StatusState>()((set, get) => ({
  ...initialStatusData,

  async load() {
    const result = await call('status:get', {});
    set({ status: 'error' in result ? loadError(result.error.message) : ready(result.data) });
  },

  statusChanged(status) {
    set({ status: ready(status), ...(status.session === null ? { current: null } : {}) });
  },

  progress(event) {
    switch (event.type) {
      case 'session-started':
        set({ lastEvent: `Session started with ${event.queued} queued`, current: null });
        break;
      case 'task-started':
        set({
          current: { taskId: event.taskId, title: event.title, stage: null, message: null },
          lastEvent: `Working on ${event.title}`,
        });
        break;
      case 'attempt': {
        const current = get().current;
        if (current && current.taskId === event.progress.taskId)
          set({ current: { ...current, stage: event.progress.stage, message: event.progress.message } });
        break;
      }
      case 'task-finished':
        set({
          current: null,
          lastEvent: `${event.title}: ${event.status}${event.score === null ? '' : ` (score ${event.score.toFixed(2)})`}`,
        });
        break;
      case 'paused':
        set({ lastEvent: `Paused: ${event.reason}` });
        break;
      case 'resumed':
        set({ lastEvent: 'Resumed' });
        break;
      case 'model-loading':
        set({ lastEvent: `Loading the model: ${Math.round(event.progress * 100)}%` });
        break;
      case 'session-ended':
        set({
          current: null,
          lastEvent: `Session ${event.session.status}${event.session.endReason ? `: ${event.session.endReason}` : ''}`,
        });
        break;
    }
  },

  async runNow() {
    set({ starting: true });
    const result = await call('session:start', {});
    if ('error' in result) set({ starting: false, actionError: `The night did not start: ${result.error.message}` });
    else set({ starting: false, actionError: null });
    await get().load();
  },

  async stop() {
    const result = await call('session:stop', {});
    if ('error' in result) set({ actionError: `The session was not stopped: ${result.error.message}` });
    else set({ actionError: result.data.stopping ? null : 'No session is running.' });
  },
}));
