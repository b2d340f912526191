// While the setup is incomplete, every view says what is missing and links to the first run.
import { useStatusStore } from '../stores/status-store';

export function SetupBanner() {
  const missing = useStatusStore((s) => (s.status.status === 'ready' ? s.status.data.setup.steps.filter((step) => !step.done) : []));
  if (missing.length === 0) return null;
  return (
    <aside className="notice setup-banner" aria-label="Setup">
      <p>
        Not ready yet: {missing.map((s) => s.missing ?? s.id).join('; ')}. <a href="#/setup">Finish setup…</a>
      </p>
    </aside>
  );
}
