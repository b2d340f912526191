// Engine notifications on the desktop: each becomes one system notification whose click opens the
// morning report of its session (or the window when it has no report). Which notifications exist
// at all is decided by the engine (engine/notifications/session-notifications.ts).
import type { EngineNotification } from '../engine/ports';
import type { DesktopUi } from './tray-actions';

/** The system's notification centre (Electron's Notification in the app). */
export interface NotificationPort {
  show(content: { title: string; body: string }, onClick: () => void): void;
}

export function presentNotification(
  notification: EngineNotification,
  port: NotificationPort,
  ui: Pick<DesktopUi, 'openReport' | 'openWindow'>,
): void {
  const { action } = notification;
  port.show({ title: notification.title, body: notification.body }, () => {
    if (action?.type === 'open-report') ui.openReport(action.sessionId);
    else ui.openWindow();
  });
}
