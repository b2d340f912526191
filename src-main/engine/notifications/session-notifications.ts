// Which notifications a finished session earns (DESIGN §8b "notifications only when action is
// needed"): changes waiting for review, failed tasks, and the end-of-night summary of a night that
// did something. A manual run (the user is at the machine) gets no summary, a night with nothing to
// report stays silent, and every notification leads to that session's morning report.
import type { Config } from '../../../src-shared/config/schema';
import type { Session } from '../../../src-shared/domain/records';
import type { EngineNotification } from '../ports';

export function sessionNotifications(session: Session, settings: Config['notifications']): EngineNotification[] {
  if (!settings.enabled) return [];
  const s = session.stats;
  const action = { type: 'open-report', sessionId: session.id } as const;
  const out: EngineNotification[] = [];
  if (settings.review_waiting && s.review > 0) {
    out.push({
      kind: 'review_waiting',
      title: s.review === 1 ? '1 change waiting for review' : `${s.review} changes waiting for review`,
      body: 'Open the morning report to approve or reject.',
      action,
    });
  }
  if (settings.failures && (s.failed > 0 || session.status === 'failed')) {
    const body =
      session.status === 'failed'
        ? `The session stopped: ${session.endReason ?? 'unknown error'}`
        : `${s.failed} task(s) failed; the report says why.`;
    out.push({
      kind: 'failures',
      title: session.status === 'failed' ? 'The night session failed' : 'Some tasks failed',
      body,
      action,
    });
  }
  if (settings.session_end && session.trigger === 'night-window' && s.tasksDone > 0) {
    out.push({
      kind: 'session_end',
      title: 'Nocturnal Agent: night finished',
      body: `${s.merged} merged, ${s.review} waiting for review, ${s.rejected} rejected, ${s.failed} failed`,
      action,
    });
  }
  return out;
}
