import { describe, expect, it } from 'vitest';
import { emptySessionStats } from '../../../src-shared/domain/records';
import type { Session, SessionStats } from '../../../src-shared/domain/records';
import { sessionNotifications } from './session-notifications';

const all = { enabled: true, session_end: true, review_waiting: true, failures: true, budget_alerts: true };

function session(
  trigger: string,
  stats: Partial<SessionStats>,
  status: Session['status'] = 'completed',
  endReason: string | null = 'the queue is empty',
): Session {
  return {
    id: 'ses_1',
    startedAt: '2026-01-15T21:00:00.000Z',
    endedAt: '2026-01-16T05:00:00.000Z',
    status,
    trigger,
    stats: { ...emptySessionStats(), ...stats },
    endReason,
  };
}

describe('session notifications (only when action is needed)', () => {
  const open = { type: 'open-report', sessionId: 'ses_1' };

  it('a night with reviews and failures: both, plus the end-of-night summary, each opening the report', () => {
    expect(
      sessionNotifications(session('night-window', { tasksDone: 4, merged: 1, review: 2, failed: 1 }), all),
    ).toEqual([
      {
        kind: 'review_waiting',
        title: '2 changes waiting for review',
        body: 'Open the morning report to approve or reject.',
        action: open,
      },
      { kind: 'failures', title: 'Some tasks failed', body: '1 task(s) failed; the report says why.', action: open },
      {
        kind: 'session_end',
        title: 'Nocturnal Agent: night finished',
        body: '1 merged, 2 waiting for review, 0 rejected, 1 failed',
        action: open,
      },
    ]);
  });

  it('a night where everything merged: only the summary', () => {
    expect(sessionNotifications(session('night-window', { tasksDone: 2, merged: 2 }), all).map((n) => n.kind)).toEqual([
      'session_end',
    ]);
  });

  it('a night with nothing to do, or a manual run that merged everything: silence', () => {
    expect(sessionNotifications(session('night-window', {}), all)).toEqual([]);
    expect(sessionNotifications(session('manual', { tasksDone: 3, merged: 3 }), all)).toEqual([]);
  });

  it('a manual run still says when changes wait for review', () => {
    expect(sessionNotifications(session('manual', { tasksDone: 1, review: 1 }), all)).toEqual([
      {
        kind: 'review_waiting',
        title: '1 change waiting for review',
        body: 'Open the morning report to approve or reject.',
        action: open,
      },
    ]);
  });

  it('a session that failed as a whole says why', () => {
    expect(sessionNotifications(session('night-window', {}, 'failed', 'disk full'), all)).toEqual([
      { kind: 'failures', title: 'The night session failed', body: 'The session stopped: disk full', action: open },
    ]);
  });

  it('honours notifications.* switches', () => {
    const night = session('night-window', { tasksDone: 3, review: 1, failed: 1, merged: 1 });
    expect(sessionNotifications(night, { ...all, enabled: false })).toEqual([]);
    expect(
      sessionNotifications(night, { ...all, review_waiting: false, session_end: false }).map((n) => n.kind),
    ).toEqual(['failures']);
  });
});
