// Test hooks for the `_electron` Playwright specs, installed only when NOCTURNAL_E2E_HOOKS=1: the
// tray's menu and the system's notifications are native UI that Playwright cannot click, so the
// specs reach them here (`app.evaluate(() => globalThis.nocturnalE2e…)`). Each hook goes through
// the same code path as the real click.
import type { NotificationPort } from './desktop-notifications';
import type { AppTray } from './tray';
import type { TrayMenuId, TrayView } from './tray-state';

export interface E2eHooks {
  trayView(): TrayView;
  clickTray(id: TrayMenuId, checked?: boolean): void;
  notifications(): { title: string; body: string }[];
  clickNotification(index: number): void;
  windowUrls(): string[];
}

export function e2eHooksEnabled(env: NodeJS.ProcessEnv): boolean {
  return env['NOCTURNAL_E2E_HOOKS'] === '1';
}

/** Wraps the notification port so shown notifications can be listed and clicked. */
export function recordingNotificationPort(
  port: NotificationPort,
): NotificationPort & { shown: { title: string; body: string; click: () => void }[] } {
  const shown: { title: string; body: string; click: () => void }[] = [];
  return {
    shown,
    show(content, onClick) {
      shown.push({ ...content, click: onClick });
      port.show(content, onClick);
    },
  };
}

export function installE2eHooks(deps: {
  tray: AppTray;
  notifications: ReturnType<typeof recordingNotificationPort>;
  windowUrls: () => string[];
}): void {
  const hooks: E2eHooks = {
    trayView: () => deps.tray.view(),
    clickTray: (id, checked) => deps.tray.click(id, checked),
    notifications: () => deps.notifications.shown.map(({ title, body }) => ({ title, body })),
    clickNotification(index) {
      const notification = deps.notifications.shown[index];
      if (!notification) throw new Error(`no notification #${index} (shown: ${deps.notifications.shown.length})`);
      notification.click();
    },
    windowUrls: deps.windowUrls,
  };
  (globalThis as { nocturnalE2e?: E2eHooks }).nocturnalE2e = hooks;
}
