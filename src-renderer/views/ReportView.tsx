// The morning report: what the night did (counts, time, tokens, energy, model), what waits for a
// decision, and a card per task with its score, checks and the model's review. Earlier nights are
// one choice away.
import { useEffect } from 'react';
import type { ReportTaskEntry, SessionReport } from '../../src-shared/domain/report';
import { attemptNotePath, vaultRoot } from '../../src-shared/domain/vault-paths';
import { useAppStore } from '../app-store';
import { ChecksBeforeAfter } from '../components/ChecksBeforeAfter';
import { EmptyState } from '../components/EmptyState';
import { LoadableView } from '../components/LoadableView';
import { NightPlanSummary } from '../components/NightPlanSummary';
import { ScoreBreakdown } from '../components/ScoreBreakdown';
import { useReportSession } from '../routes';
import { useConfigStore } from '../stores/config-store';
import { useReportStore } from '../stores/report-store';
import { useReviewStore } from '../stores/review-store';
import { useStatusStore } from '../stores/status-store';
import { formatDuration, formatTime } from './format';
import { RunControls } from './RunControls';
import { WaitingList } from './WaitingList';

export function ReportView() {
  const sessions = useReportStore((s) => s.sessions);
  const sessionId = useReportStore((s) => s.sessionId);
  const report = useReportStore((s) => s.report);
  const choose = useReportStore((s) => s.choose);
  const linkedSession = useReportSession();

  // A link to one night (a notification's `#/report/<session>`) shows that night.
  useEffect(() => {
    if (linkedSession) void choose(linkedSession);
  }, [linkedSession, choose]);

  return (
    <section className="view" aria-labelledby="report-heading">
      <div className="view-head">
        <h2 id="report-heading">Morning report</h2>
        <RunControls />
      </div>
      <WaitingList />
      <QueuedPlan />
      {sessions.status === 'ready' && sessions.data.length > 0 && (
        <label className="field inline">
          <span>Night</span>
          <select value={sessionId ?? ''} onChange={(event) => void choose(event.target.value || null)}>
            <option value="">Latest</option>
            {sessions.data.map((session) => (
              <option key={session.id} value={session.id}>
                {formatTime(session.startedAt)} · {session.status} · {session.stats.merged} merged
              </option>
            ))}
          </select>
        </label>
      )}
      <LoadableView value={report} what="the report">
        {(data) =>
          data ? (
            <Report report={data} />
          ) : (
            <EmptyState title="No night has run yet">
              Queue tasks, then let the night window come or press Run now; the report of each night shows here.
            </EmptyState>
          )
        }
      </LoadableView>
    </section>
  );
}

function Report({ report }: { report: SessionReport }) {
  const model = useStatusStore((s) => (s.status.status === 'ready' ? s.status.data.model : null));
  const { session, usage } = report;
  const stats = session.stats;
  return (
    <>
      <section className="summary" aria-label="Night summary">
        <p className="summary-when">
          {formatTime(session.startedAt)} · {session.status}
          {session.endReason ? ` · ${session.endReason}` : ''}
        </p>
        <dl className="summary-grid">
          <Fact label="Merged" value={stats.merged} />
          <Fact label="Waiting" value={stats.review} />
          <Fact label="Rejected" value={stats.rejected} />
          <Fact label="Failed" value={stats.failed} />
          <Fact label="Time" value={session.durationMs === null ? 'running' : formatDuration(session.durationMs)} />
          <Fact label="Tokens" value={(stats.promptTokens + stats.completionTokens).toLocaleString('en')} />
          <Fact label="Energy" value={`${usage.energyWh.toFixed(1)} Wh`} />
          <Fact label="Model" value={model ?? 'not set'} />
        </dl>
        {report.notes.length > 0 && (
          <ul className="notes">
            {report.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        )}
        {(report.budgetAlerts ?? []).length > 0 && (
          <ul className="notes" aria-label="Budget alerts">
            {(report.budgetAlerts ?? []).map((alert) => (
              <li key={`${alert.month}-${alert.threshold}`}>
                Budget alert: {Math.round(alert.threshold * 100)}% of the ${alert.budgetUsd.toFixed(2)} monthly budget
                used (${alert.spentUsd.toFixed(2)})
                {alert.blocksPaidModels ? '; paid models are refused until next month' : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
      {report.tasks.length === 0 ? (
        <EmptyState title="No task ran this night">
          {stats.pauses.length > 0 ? `Paused: ${stats.pauses.join('; ')}` : 'The queue was empty when the night ran.'}
        </EmptyState>
      ) : (
        <div className="cards">
          {report.tasks.map((entry) => (
            <TaskCard key={entry.attemptId} entry={entry} />
          ))}
        </div>
      )}
    </>
  );
}

function Fact({ label, value }: { label: string; value: string | number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** What the queue holds for the coming night, from the status snapshot (absent when nothing is queued). */
function QueuedPlan() {
  const plan = useStatusStore((s) => (s.status.status === 'ready' ? s.status.data.plan : undefined));
  return plan ? <NightPlanSummary plan={plan} /> : null;
}

function TaskCard({ entry }: { entry: ReportTaskEntry }) {
  const card = useReviewStore((s) => s.cards[entry.attemptId]);
  const loadCard = useReviewStore((s) => s.loadCard);
  const open = useReviewStore((s) => s.open);
  const home = useAppStore((s) => s.info?.home ?? null);
  const knowledge = useConfigStore((s) => (s.config.status === 'ready' ? s.config.data.knowledge : null));
  const headingId = `card-${entry.attemptId}`;

  useEffect(() => {
    void loadCard(entry.attemptId);
  }, [loadCard, entry.attemptId, entry.attemptStatus]);

  const detail = card?.status === 'ready' ? card.data : null;
  const notePath =
    detail && home && knowledge?.enabled
      ? attemptNotePath(vaultRoot(home, knowledge.vault_path), detail.attempt)
      : null;

  return (
    <article className="card" aria-labelledby={headingId}>
      <header className="card-head">
        <h3 id={headingId}>{entry.title}</h3>
        <span className={`badge badge-${entry.attemptStatus}`}>{statusWords[entry.attemptStatus]}</span>
      </header>
      <p className="muted">
        {entry.workspace} · <code>{entry.branch}</code> → <code>{entry.targetBranch}</code> · score{' '}
        {entry.score === null ? 'none' : entry.score.toFixed(2)}
        {entry.decision ? ` · decision ${entry.decision}` : ''}
      </p>
      <div className="card-columns">
        <ScoreBreakdown breakdown={entry.scoreBreakdown} label={`Score of ${entry.title}`} />
        <ChecksBeforeAfter before={entry.checksBefore} after={entry.checksAfter} label={`Checks of ${entry.title}`} />
      </div>
      {entry.reasons.length > 0 && (
        <ul className="reasons" aria-label={`Reasons for ${entry.title}`}>
          {entry.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      )}
      {detail?.review && detail.review.issues.length > 0 && (
        <div>
          <p className="label">The model&apos;s review ({detail.review.verdict})</p>
          <ul>
            {detail.review.issues.map((issue) => (
              <li key={issue}>{issue}</li>
            ))}
          </ul>
        </div>
      )}
      {card?.status === 'error' && <p className="muted">Details unavailable: {card.message}</p>}
      {notePath && (
        <p className="muted">
          Vault note: <code>{notePath}</code>
        </p>
      )}
      <div className="card-actions">
        <button type="button" onClick={() => void open(entry.attemptId)}>
          {entry.attemptStatus === 'review' ? 'Review change' : 'Open change'}
        </button>
      </div>
    </article>
  );
}

const statusWords: Record<ReportTaskEntry['attemptStatus'], string> = {
  running: 'running',
  review: 'waiting for review',
  merged: 'merged',
  rejected: 'rejected',
  failed: 'failed',
  interrupted: 'interrupted',
  undone: 'merged, then undone',
};
