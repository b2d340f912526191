import { useAppStore } from '../app-store';
import type { NightWindow } from '../../src-shared/api/channels';

/** The night window and whether night mode is armed, with the switch to arm or disarm it. */
export function StatusHeader() {
  const nightMode = useAppStore((s) => s.nightMode);
  const busy = useAppStore((s) => s.nightModeBusy);
  const connected = useAppStore((s) => s.connection.status === 'connected');
  const setNightMode = useAppStore((s) => s.setNightMode);

  const armed = nightMode?.enabled ?? false;
  return (
    <section className="status" aria-label="Night status">
      <dl className="status-facts">
        <div>
          <dt>Night window</dt>
          <dd>{nightMode ? describeWindow(nightMode.window) : 'unknown'}</dd>
        </div>
        <div>
          <dt>Night mode</dt>
          <dd className={armed ? 'state-armed' : 'state-off'}>{nightMode ? (armed ? 'Armed' : 'Off') : 'unknown'}</dd>
        </div>
      </dl>
      <button
        type="button"
        className="toggle"
        disabled={!connected || !nightMode || busy}
        onClick={() => void setNightMode(!armed)}
      >
        {armed ? 'Disarm night mode' : 'Arm night mode'}
      </button>
    </section>
  );
}

function describeWindow(nightWindow: NightWindow): string {
  const zone = nightWindow.timezone === 'local' ? 'local time' : nightWindow.timezone;
  return `${nightWindow.startTime}–${nightWindow.endTime} (${zone})`;
}
