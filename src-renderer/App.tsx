import { useEffect } from 'react';
import type { ApiClient } from './api-client';
import { useAppStore } from './app-store';
import { ConnectionNotice } from './components/ConnectionNotice';
import { EmptyState } from './components/EmptyState';
import { MoonMark } from './components/MoonMark';
import { StatusHeader } from './components/StatusHeader';

export function App({ client }: { client: ApiClient }) {
  const connect = useAppStore((s) => s.connect);
  const nightModeChanged = useAppStore((s) => s.nightModeChanged);
  const connected = useAppStore((s) => s.connection.status === 'connected');
  const home = useAppStore((s) => s.info?.home);

  useEffect(() => {
    const unsubscribe = client.on('nightMode:changed', nightModeChanged);
    void connect(client);
    return unsubscribe;
  }, [client, connect, nightModeChanged]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <div className="brand">
          <MoonMark />
          <h1>Nocturnal Agent</h1>
        </div>
        <StatusHeader />
      </header>
      <main id="main" tabIndex={-1}>
        <ConnectionNotice />
        <div className="panels">
          <section className="panel" aria-labelledby="tasks-heading">
            <h2 id="tasks-heading">Tasks</h2>
            {connected ? (
              <EmptyState title="No tasks queued">
                Queue work for tonight with <code>nocturnal task add WORKSPACE &quot;TITLE&quot;</code>; it shows up here.
              </EmptyState>
            ) : (
              <EmptyState title="No tasks to show">Tasks appear here once this window is connected to the engine.</EmptyState>
            )}
          </section>
          <section className="panel" aria-labelledby="review-heading">
            <h2 id="review-heading">Waiting for review</h2>
            {connected ? (
              <EmptyState title="Nothing is waiting for review">
                Changes scoring between the review and auto-approve thresholds wait here for your decision.
              </EmptyState>
            ) : (
              <EmptyState title="No reviews to show">Changes waiting for your review appear here once connected.</EmptyState>
            )}
          </section>
        </div>
      </main>
      <footer className="app-footer">{home ? <span>Data folder: {home}</span> : <span>Local-first: your code and models stay on this machine.</span>}</footer>
    </div>
  );
}
