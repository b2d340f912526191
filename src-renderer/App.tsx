import { useEffect } from 'react';
import type { ApiClient } from './api-client';
import { useAppStore } from './app-store';
import { ConnectionNotice } from './components/ConnectionNotice';
import { MoonMark } from './components/MoonMark';
import { Nav } from './components/Nav';
import { StatusHeader } from './components/StatusHeader';
import { ThemeToggle } from './components/ThemeToggle';
import { loadAll, subscribeToEngine } from './live';
import { useRoute } from './routes';
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
      <a className="skip-link" href="#main" onClick={(event) => {
        // The hash is the router's: move focus without changing it.
        event.preventDefault();
        document.getElementById('main')?.focus();
      }}>
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
        {connected && <View route={route} />}
      </main>
      <ReviewDialog />
      <footer className="app-footer">{home ? <span>Data folder: {home}</span> : <span>Local-first: your code and models stay on this machine.</span>}</footer>
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
  }
}
