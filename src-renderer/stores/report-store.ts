// The morning report: the sessions (`sessions:list`) and the report of the one chosen (`report:get`,
// the latest by default). Reloaded when a session ends or a decision changes a task.
import { create } from 'zustand';
import type { Session } from '../../src-shared/domain/records';
import type { SessionReport } from '../../src-shared/domain/report';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';

export interface ReportState {
  sessions: Loadable<Session[]>;
  /** null: the latest session. */
  sessionId: string | null;
  report: Loadable<SessionReport | null>;

  load(): Promise<void>;
  choose(sessionId: string | null): Promise<void>;
}

export type ReportData = Pick<ReportState, 'sessions' | 'sessionId' | 'report'>;
export const initialReportData: ReportData = { sessions: loading, sessionId: null, report: loading };

export const useReportStore = create<ReportState>()((set, get) => ({
  ...initialReportData,

  async load() {
    const sessions = await call('sessions:list', { limit: 50 });
    if ('error' in sessions) {
      set({ sessions: loadError(sessions.error.message), report: loadError(sessions.error.message) });
      return;
    }
    set({ sessions: ready(sessions.data) });
    const sessionId = get().sessionId;
    // No session yet: there is no report, and that is what the view says.
    if (sessions.data.length === 0) {
      set({ report: ready(null) });
      return;
    }
    const report = await call('report:get', sessionId ? { sessionId } : {});
    if (get().sessionId !== sessionId) return;
    set({ report: 'error' in report ? loadError(report.error.message) : ready(report.data) });
  },

  async choose(sessionId) {
    set({ sessionId, report: loading });
    await get().load();
  },
}));
