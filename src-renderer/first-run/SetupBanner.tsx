// While the setup is incomplete, every view says what is missing and links to the first run.
import { useStatusStore } from '../stores/status-store';

export function SetupBanner() {
  // Select the stored record, derive outside: a selector that builds a new array re-renders forever.
  const status = useStatusStore((s) => s.status);
  const missing = status.status === 'ready' ? status.data.setup.steps.filter((step) => !step.done) : [];
  if (missing.length === 0) return null;
  return (
    <aside className="notice setup-banner" aria-label="Setup">
      <p>
        Not ready yet: {missing.map((s) => s.missing ?? s.id).join('; ')}. <a href="#/setup">Finish setup…</a>
      </p>
    </aside>
  );
}
