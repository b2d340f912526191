// The tray's small window (`#/tray`): night status, what runs now and at which stage, and how many
// changes wait; one click opens the report.
import { ConnectionNotice } from '../components/ConnectionNotice';
import { LoadableView } from '../components/LoadableView';
import { NightPlanSummary } from '../components/NightPlanSummary';
import { useStatusStore } from '../stores/status-store';

export function TrayPanel() {
  const status = useStatusStore((s) => s.status);
  const current = useStatusStore((s) => s.current);
  const lastEvent = useStatusStore((s) => s.lastEvent);
  return (
    <main className="tray" aria-label="Nocturnal tray panel">
      <h1 className="tray-title">Nocturnal</h1>
      <ConnectionNotice />
      <LoadableView value={status} what="the night status">
        {(data) => (
          <dl className="facts">
            <div>
              <dt>Night</dt>
              <dd>
                {data.session
                  ? 'running'
                  : data.windowOpen
                    ? 'window open'
                    : data.nextStart
                      ? `next at ${new Date(data.nextStart).toLocaleTimeString(undefined, { timeStyle: 'short' })}`
                      : 'idle'}
                {data.nightMode.enabled ? ' · armed' : ' · night mode off'}
              </dd>
            </div>
            <div>
              <dt>Now</dt>
              <dd>
                {current
                  ? `${current.title}${current.stage ? ` — ${current.stage}` : ''}`
                  : data.session
                    ? 'between tasks'
                    : (lastEvent ?? 'nothing running')}
              </dd>
            </div>
            <div>
              <dt>Waiting for review</dt>
              <dd>{data.waitingReviews}</dd>
            </div>
            <div>
              <dt>Queued</dt>
              <dd>{data.queue.queued}</dd>
            </div>
            {data.plan && (
              <div>
                <dt>Plan</dt>
                <dd>
                  <NightPlanSummary plan={data.plan} compact />
                </dd>
              </div>
            )}
          </dl>
        )}
      </LoadableView>
      <a href="#/report">Open the morning report</a>
    </main>
  );
}
