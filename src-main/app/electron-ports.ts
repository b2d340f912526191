// The engine's ports and the desktop ports backed by Electron: real system notifications, the
// power-save blocker (held only while a session runs: the engine asks for it around each session)
// and the OS login item.
import { Notification, app, powerSaveBlocker } from 'electron';
import type { NotificationPort } from './desktop-notifications';
import type { LoginItemPort } from './login-item';

export function electronNotificationPort(onUnsupported: (title: string) => void): NotificationPort {
  // A shown notification must stay referenced until it is done, or its click handler is collected.
  const live = new Set<Notification>();
  return {
    show(content, onClick) {
      if (!Notification.isSupported()) {
        onUnsupported(content.title);
        return;
      }
      const notification = new Notification({ title: content.title, body: content.body });
      live.add(notification);
      notification.on('click', () => {
        live.delete(notification);
        onClick();
      });
      notification.on('close', () => live.delete(notification));
      notification.show();
    },
  };
}

export function electronPreventSleep(_reason: string): () => void {
  // prevent-app-suspension keeps the machine awake but lets the screen sleep: a night of work
  // needs no lit display.
  const id = powerSaveBlocker.start('prevent-app-suspension');
  return () => {
    if (powerSaveBlocker.isStarted(id)) powerSaveBlocker.stop(id);
  };
}

export const electronLoginItem: LoginItemPort = {
  get: () => app.getLoginItemSettings().openAtLogin,
  // The app starts in the tray with no window (main.ts), so a login start stays out of the way.
  set: (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
};
