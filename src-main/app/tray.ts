// The tray icon and its menu: the product's main surface. The menu is rebuilt on every change because
// Linux (AppIndicator) only picks up a new menu, not edits to the old one.
import path from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions, NativeImage } from 'electron';
import { trayIconFile, trayStateOf, trayStates, trayTooltip } from './tray-state';
import type { TrayState, TrayView } from './tray-state';

export interface TrayActions {
  setNightMode(enabled: boolean): void;
  openWindow(): void;
  openDataFolder(): void;
  quit(): void;
}

export interface AppTray {
  update(view: TrayView): void;
  destroy(): void;
}

export function createAppTray(options: { assetsDir: string; view: TrayView; actions: TrayActions }): AppTray {
  const icons = loadIcons(options.assetsDir);
  const tray = new Tray(icons[trayStateOf(options.view)]);
  const { actions } = options;

  function update(view: TrayView): void {
    tray.setImage(icons[trayStateOf(view)]);
    tray.setToolTip(trayTooltip(view));
    const { startTime, endTime } = view.nightMode.window;
    const template: MenuItemConstructorOptions[] = [
      {
        label: 'Night mode',
        type: 'checkbox',
        checked: view.nightMode.enabled,
        click: (item) => actions.setNightMode(item.checked),
      },
      { label: `Night window ${startTime}–${endTime}`, enabled: false },
      { type: 'separator' },
      { label: 'Open window', click: () => actions.openWindow() },
      { label: 'Open data folder', click: () => actions.openDataFolder() },
      { type: 'separator' },
      { label: 'Quit', click: () => actions.quit() },
    ];
    tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  update(options.view);
  return { update, destroy: () => tray.destroy() };
}

function loadIcons(assetsDir: string): Record<TrayState, NativeImage> {
  const icons = {} as Record<TrayState, NativeImage>;
  for (const state of trayStates) {
    const file = path.join(assetsDir, trayIconFile(state));
    const image = nativeImage.createFromPath(file);
    // An empty image would leave an invisible tray entry: a broken install, so say so.
    if (image.isEmpty()) throw new Error(`tray icon missing or unreadable: ${file} (run \`npm run icons\`)`);
    icons[state] = image;
  }
  return icons;
}
