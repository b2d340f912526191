import { useEffect, useRef } from 'react';
import type { ApiClient } from './api-client';
import { useAppStore } from './app-store';
import { ConnectionNotice } from './components/ConnectionNotice';
import { MoonMark } from './components/MoonMark';
import { Nav } from './components/Nav';
import { StatusHeader } from './components/StatusHeader';
import { ThemeToggle } from './components/ThemeToggle';
import { FirstRunView } from './first-run/FirstRunView';
import { SetupBanner } from './first-run/SetupBanner';
import { loadAll, subscribeToEngine } from './live';
import { hasRoute, useRoute } from './routes';
import { useStatusStore } from './stores/status-store';
import type { RouteId } from './routes';
import { ModelsView } from './views/ModelsView';
import { QueueView } from './views/QueueView';
import { ReportView } from './views/ReportView';
import { ReviewDialog } from './views/ReviewDialog';
import { SettingsView } from './views/SettingsView';
import { TrayPanel } from './views/TrayPanel';
import { WorkspacesView } from './views/WorkspacesView';

export function App({ client }: { client: ApiClient }) {
  const connect = useAppStore((s) => s.connect);
  const nightModeChanged = useAppStore((s) => s.nightModeChanged);
  const connected = useAppStore((s) => s.connection.status === 'connected');
  const home = useAppStore((s) => s.info?.home);
  const route = useRoute();
  useFirstRunOnFreshHome();

  useEffect(() => {
    const unsubscribeNight = client.on('nightMode:changed', nightModeChanged);
    const unsubscribe = subscribeToEngine(client);
    void connect(client);
    return () => {
      unsubscribeNight();
      unsubscribe();
    };
  }, [client, connect, nightModeChanged]);

  useEffect(() => {
    if (connected) void loadAll();
  }, [connected]);

  if (route === 'tray') return <TrayPanel />;

  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // The hash is the router's: move focus without changing it.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <MoonMark />
          <h1>Nocturnal Agent</h1>
        </div>
        <StatusHeader />
        <ThemeToggle />
      </header>
      <Nav current={route} />
      <main id="main" tabIndex={-1}>
        <ConnectionNotice />
        {connected && route !== 'setup' && <SetupBanner />}
        {connected && <View route={route} />}
      </main>
      <ReviewDialog />
      <footer className="app-footer">
        {home ? <span>Data folder: {home}</span> : <span>Local-first: your code and models stay on this machine.</span>}
      </footer>
    </div>
  );
}

function View({ route }: { route: Exclude<RouteId, 'tray'> }) {
  switch (route) {
    case 'report':
      return <ReportView />;
    case 'queue':
      return <QueueView />;
    case 'workspaces':
      return <WorkspacesView />;
    case 'models':
      return <ModelsView />;
    case 'settings':
      return <SettingsView />;
    case 'setup':
      return <FirstRunView />;
  }
}

/**
 * A home without a model cannot run a night at all: the window opens on the first run then, once,
 * unless the address already names a view. A home that only lacks a repository or night mode opens
 * as usual, with the setup banner saying what is missing.
 */
function useFirstRunOnFreshHome() {
  const decided = useRef(false);
  const modelMissing = useStatusStore((s) =>
    s.status.status === 'ready' ? s.status.data.setup.steps.some((step) => step.id === 'model' && !step.done) : null,
  );
  useEffect(() => {
    if (decided.current || modelMissing === null) return;
    decided.current = true;
    if (modelMissing && !hasRoute(window.location.hash)) window.location.hash = '#/setup';
  }, [modelMissing]);
}
