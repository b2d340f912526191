// Start a night now (a session over the queue, whatever the clock says) or stop the one running.
import { useStatusStore } from '../stores/status-store';

export function RunControls() {
  const status = useStatusStore((s) => s.status);
  const starting = useStatusStore((s) => s.starting);
  const current = useStatusStore((s) => s.current);
  const lastEvent = useStatusStore((s) => s.lastEvent);
  const actionError = useStatusStore((s) => s.actionError);
  const runNow = useStatusStore((s) => s.runNow);
  const stop = useStatusStore((s) => s.stop);
  const ready = status.status === 'ready' ? status.data : null;
  const running = Boolean(ready?.session) || Boolean(ready?.running);
  return (
    <div className="run-controls">
      <p className="muted" role="status" aria-live="polite">
        {running
          ? `Night running${current ? `: ${current.title}${current.stage ? ` (${current.stage})` : ''}` : ''}${ready?.stopping ? ' · stopping after this task' : ''}`
          : (lastEvent ?? (ready ? `${ready.queue.queued} queued` : ''))}
      </p>
      {running ? (
        <button type="button" disabled={ready?.stopping} onClick={() => void stop()}>
          Stop after this task
        </button>
      ) : (
        <button type="button" className="primary" disabled={!ready || starting} onClick={() => void runNow()}>
          Run now
        </button>
      )}
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
    </div>
  );
}
