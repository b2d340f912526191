// Electron main entry. A tray application: it starts with no window (the tray menu opens one), holds
// a single-instance lock (a second launch just opens the window), and refuses to start on an invalid
// config.yaml — the user sees the problem in a dialog rather than a silent fall back to defaults.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, shell } from 'electron';
import { loadConfig } from '../engine/config/config-file';
import { homePaths, resolveHome } from '../engine/config/home';
import type { AppInfo } from '../../src-shared/api/channels';
import { createApiHandlers } from './api-handlers';
import { createConfigState } from './config-state';
import { describeError } from '../engine/api/describe-error';
import { registerIpc } from './ipc-adapter';
import { parseLaunchOptions } from './launch-options';
import type { LaunchOptions } from './launch-options';
import { createAppTray } from './tray';
import type { TrayView } from './tray-state';
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
  try {
    loadConfig({ home, env: process.env });
  } catch (error) {
    await showConfigError(home, error);
    app.exit(2);
    return;
  }

  const config = createConfigState({ home, env: process.env });
  const windows = createWindowManager({
    preloadPath: path.join(mainDir, '..', 'preload', 'index.cjs'),
    renderer: rendererSource(mainDir, process.env, app.isPackaged),
    iconPath: path.join(app.getAppPath(), 'assets', 'icon.png'),
  });
  const info = (): AppInfo => ({ productName, version: app.getVersion(), platform: process.platform, home, host: 'electron' });
  const ipc = registerIpc({ handlers: createApiHandlers({ config, info }), describeError, isTrustedSender: windows.isTrustedUrl });

  // Working and attention come from the scheduler and review queue once the engine runs here.
  const view = (): TrayView => ({ nightMode: config.nightMode(), working: false, needsAttention: false });
  const tray = createAppTray({
    assetsDir: path.join(app.getAppPath(), 'assets'),
    view: view(),
    actions: {
      setNightMode(enabled) {
        try {
          config.setNightMode(enabled);
        } catch (error) {
          dialog.showErrorBox('Night mode was not changed', messageOf(error));
          tray.update(view());
        }
      },
      openWindow: () => windows.show(),
      openDataFolder: () => void openDataFolder(home),
      quit: () => app.quit(),
    },
  });
  config.onNightModeChange((nightMode) => {
    tray.update({ nightMode, working: false, needsAttention: false });
    ipc.publish('nightMode:changed', nightMode);
  });

  app.on('second-instance', () => windows.show());
  // macOS: clicking the app again (Finder, Spotlight) opens the window.
  app.on('activate', () => windows.show());
  app.on('will-quit', () => {
    ipc.dispose();
    tray.destroy();
  });
  if (launch.openWindow) windows.show();
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
