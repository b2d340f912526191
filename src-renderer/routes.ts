// Hash routes (`#/report`, `#/tray` …): the page is a file in Electron and a static page in the browser,
// so the hash is the one part of the address that is ours. Anything else in the hash (the browser
// transport's token) is not a route and leaves the default view.
import { useSyncExternalStore } from 'react';

export const routes = [
  { id: 'report', label: 'Morning report' },
  { id: 'queue', label: 'Task queue' },
  { id: 'workspaces', label: 'Workspaces' },
  { id: 'models', label: 'Models' },
  { id: 'settings', label: 'Settings' },
  { id: 'setup', label: 'Setup' },
] as const;
export type RouteId = (typeof routes)[number]['id'] | 'tray';

export function routeFromHash(hash: string): RouteId {
  const match = /^#\/([a-z]+)/.exec(hash);
  const id = match?.[1];
  if (id === 'tray') return 'tray';
  return routes.find((route) => route.id === id)?.id ?? 'report';
}

/** Whether the address names a view (a fresh window opens the first run only when it does not). */
export function hasRoute(hash: string): boolean {
  const id = /^#\/([a-z]+)/.exec(hash)?.[1];
  return id === 'tray' || routes.some((route) => route.id === id);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): RouteId {
  return useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
}

/** `#/report/<session id>` (what a notification opens): that night's report; else null. */
export function reportSessionFromHash(hash: string): string | null {
  const match = /^#\/report\/([^/?&#]+)/.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

export function useReportSession(): string | null {
  return useSyncExternalStore(subscribe, () => reportSessionFromHash(window.location.hash));
}
