// Electron main entry. A tray application: it starts with no window (the tray menu opens one), holds
// a single-instance lock (a second launch just opens the window), and refuses to start on an invalid
// config.yaml — the user sees the problem in a dialog rather than a silent fall back to defaults.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, shell } from 'electron';
import { loadConfig } from '../engine/config/config-file';
import { homePaths, resolveHome } from '../engine/config/home';
import type { Config } from '../../src-shared/config/schema';
import { startEngineHost } from '../host/engine-host';
import type { EngineHost } from '../host/engine-host';
import { describeError } from '../engine/api/describe-error';
import { presentNotification } from './desktop-notifications';
import { e2eHooksEnabled, installE2eHooks, recordingNotificationPort } from './e2e-hooks';
import { electronLoginItem, electronNotificationPort, electronPreventSleep } from './electron-ports';
import { registerIpc } from './ipc-adapter';
import { parseLaunchOptions } from './launch-options';
import type { LaunchOptions } from './launch-options';
import { installCommandLineTool } from './install-cli';
import { syncLoginItem } from './login-item';
import { createAppTray } from './tray';
import { runTrayAction } from './tray-actions';
import type { DesktopUi } from './tray-actions';
import { trayViewOf } from './tray-state';
import { createWindowManager, rendererSource } from './windows';

const productName = 'Nocturnal Agent';
// out/main/index.js → out/preload, out/renderer sit beside it.
const mainDir = path.dirname(fileURLToPath(import.meta.url));

function main(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  // A tray app keeps running when its last window closes; only "Quit" ends it.
  app.on('window-all-closed', () => undefined);
  app
    .whenReady()
    .then(() => start(parseLaunchOptions(process.argv)))
    .catch((error: unknown) => fatal('Nocturnal Agent could not start', error));
}

async function start(launch: LaunchOptions): Promise<void> {
  const home = resolveHome({ home: launch.home, env: process.env });
  let config: Config;
  try {
    config = loadConfig({ home, env: process.env });
  } catch (error) {
    await showConfigError(home, error);
    app.exit(2);
    return;
  }

  const windows = createWindowManager({
    preloadPath: path.join(mainDir, '..', 'preload', 'index.cjs'),
    renderer: rendererSource(mainDir, process.env, app.isPackaged),
    iconPath: path.join(app.getAppPath(), 'assets', 'icon.png'),
  });
  const ui: DesktopUi = {
    openWindow: () => void windows.show(),
    openReport: (sessionId) => void windows.show(reportRoute(sessionId)),
    openSetup: () => void windows.show('/setup'),
    openDataFolder: () => void openDataFolder(home),
    showError: (title, message) => dialog.showErrorBox(title, message),
    quit: () => app.quit(),
  };
  const systemNotifications = electronNotificationPort((title) =>
    console.warn(`notifications are not supported here; not shown: ${title}`),
  );
  // Only the e2e specs keep a record of shown notifications (a running app must not accumulate them).
  const recorder = e2eHooksEnabled(process.env) ? recordingNotificationPort(systemNotifications) : null;
  const notifications = recorder ?? systemNotifications;

  // The engine lives here, in the main process (DESIGN §8b): the same host `nocturnal serve` runs.
  const host = await startEngineHost({
    home,
    env: process.env,
    kind: 'electron',
    ports: {
      notify: (notification) => presentNotification(notification, notifications, ui),
      preventSleep: electronPreventSleep,
    },
  });
  const ipc = registerIpc({ handlers: host.handlers, describeError, isTrustedSender: windows.isTrustedUrl });
  host.onContractEvent((event, payload) => ipc.publish(event, payload));

  const tray = createAppTray({
    assetsDir: path.join(app.getAppPath(), 'assets'),
    view: trayViewOf(host.snapshot().status),
    onAction: (id, view, checked) => void runTrayAction(id, view, host, ui, checked),
    onPanel: (bounds) => windows.togglePanel(bounds),
    // The .deb puts `nocturnal` on the PATH itself; macOS and Windows get the menu item, as editors do.
    extraItems:
      app.isPackaged && (process.platform === 'darwin' || process.platform === 'win32')
        ? [
            {
              label: 'Install command line tool…',
              click: () =>
                void installCommandLineTool().catch((error: unknown) =>
                  dialog.showErrorBox('The command line tool was not installed', messageOf(error)),
                ),
            },
          ]
        : [],
  });
  if (recorder)
    installE2eHooks({
      tray,
      notifications: recorder,
      windowUrls: () => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()),
    });
  syncLoginItem(config, electronLoginItem);
  host.on((event) => {
    if (event.type !== 'state') return;
    tray.update(trayViewOf(event.snapshot.status));
    try {
      syncLoginItem(host.config(), electronLoginItem);
    } catch {
      // An invalid config.yaml is reported where it is read (the scheduler's note); keep the login item.
    }
  });

  app.on('second-instance', () => void windows.show());
  // macOS: clicking the app again (Finder, Spotlight) opens the window.
  app.on('activate', () => void windows.show());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    void quit(host).then(() => {
      ipc.dispose();
      tray.destroy();
      app.exit(0);
    });
  });
  if (launch.openWindow) windows.show();
}

/**
 * Quitting while a task runs asks first: wait for the task (the engine stops cleanly) or quit now (the
 * attempt is interrupted and the next start recovers it, as after a crash).
 */
async function quit(host: EngineHost): Promise<void> {
  if (host.snapshot().status.session) {
    const { response } = await dialog.showMessageBox({
      type: 'question',
      title: productName,
      message: 'A task is running.',
      detail: 'Quit after this task, or now? Quitting now interrupts the task; it is queued again at the next start.',
      buttons: ['Quit after this task', 'Quit now'],
      defaultId: 0,
      cancelId: 0,
    });
    if (response === 1) return;
  }
  await host.close();
}

function reportRoute(sessionId: string | null): string {
  return sessionId ? `/report/${encodeURIComponent(sessionId)}` : '/report';
}

async function showConfigError(home: string, error: unknown): Promise<void> {
  const file = homePaths(home).config;
  console.error(`${file}: ${messageOf(error)}`);
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: productName,
    message: 'Nocturnal Agent cannot start: its configuration is invalid.',
    detail: `${file}\n\n${messageOf(error)}\n\nFix the file (or the environment variable named above) and start the app again.`,
    buttons: ['Quit', 'Open data folder'],
    defaultId: 0,
    cancelId: 0,
  });
  if (response === 1) await shell.openPath(home);
}

async function openDataFolder(home: string): Promise<void> {
  // The folder exists once anything was saved; create it so a fresh install opens too.
  fs.mkdirSync(home, { recursive: true });
  const problem = await shell.openPath(home);
  if (problem) dialog.showErrorBox('Could not open the data folder', `${home}: ${problem}`);
}

function fatal(title: string, error: unknown): void {
  console.error(title, error);
  dialog.showErrorBox(title, messageOf(error));
  app.exit(1);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main();
