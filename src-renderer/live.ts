// Keeps every store live: the first load of each after the app connects, then the engine's events.
// A session ending or a decision reloads the report, since both change what it says.
import type { ApiClient } from './api-client';
import { useConfigStore } from './stores/config-store';
import { useModelsStore } from './stores/models-store';
import { useReportStore } from './stores/report-store';
import { useReviewStore } from './stores/review-store';
import { useStatusStore } from './stores/status-store';
import { useTasksStore } from './stores/tasks-store';
import { useWorkspacesStore } from './stores/workspaces-store';

export function subscribeToEngine(client: ApiClient): () => void {
  const unsubscribers = [
    client.on('status:changed', (status) => useStatusStore.getState().statusChanged(status)),
    client.on('session:progress', (event) => {
      useStatusStore.getState().progress(event);
      if (event.type === 'session-started' || event.type === 'session-ended' || event.type === 'task-finished')
        void useReportStore.getState().load();
    }),
    client.on('task:changed', ({ task }) => useTasksStore.getState().taskChanged(task)),
    client.on('review:changed', ({ items }) => {
      useReviewStore.getState().itemsChanged(items);
      void useReportStore.getState().load();
    }),
    client.on('models:progress', (event) => useModelsStore.getState().progress(event)),
    client.on('config:changed', ({ config }) => useConfigStore.getState().configChanged(config)),
  ];
  return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
}

/** Loads every store once; each keeps its own loading/error state. */
export async function loadAll(): Promise<void> {
  await Promise.all([
    useStatusStore.getState().load(),
    useTasksStore.getState().load(),
    useWorkspacesStore.getState().load(),
    useReviewStore.getState().load(),
    useReportStore.getState().load(),
    useConfigStore.getState().load(),
    useModelsStore.getState().load(),
  ]);
}
