// The tray icon and its menu: the product's main surface. Everything it shows comes from
// tray-state.ts (pure, tested); this file only makes Electron objects. The menu is rebuilt on every
// change because Linux (AppIndicator) only picks up a new menu, not edits to the old one.
import path from 'node:path';
import { Menu, Tray, nativeImage } from 'electron';
import type { MenuItemConstructorOptions, NativeImage, Rectangle } from 'electron';
import { trayIconFile, trayMenuOf, trayStates, trayTooltip } from './tray-state';
import type { TrayMenuId, TrayState, TrayView } from './tray-state';

export interface AppTray {
  update(view: TrayView): void;
  /** What the tray shows now (for the e2e hooks). */
  view(): TrayView;
  /** Acts as a click on a menu item would (for the e2e hooks: Playwright cannot reach a native menu). */
  click(id: TrayMenuId, checked?: boolean): void;
  destroy(): void;
}

export function createAppTray(options: {
  assetsDir: string;
  view: TrayView;
  onAction: (id: TrayMenuId, view: TrayView, checked?: boolean) => void;
  /** A left click on the icon: the tray panel (the menu stays on the right click). */
  onPanel: (bounds: Rectangle) => void;
  /** Items of this desktop only (macOS/Windows: "Install command line tool…"), shown before Quit. */
  extraItems?: { label: string; click: () => void }[];
}): AppTray {
  const icons = loadIcons(options.assetsDir);
  const tray = new Tray(icons[options.view.state]);
  tray.on('click', (_event, bounds) => options.onPanel(bounds));
  let current = options.view;

  function update(view: TrayView): void {
    current = view;
    tray.setImage(icons[view.state]);
    tray.setToolTip(trayTooltip(view));
    const template: MenuItemConstructorOptions[] = trayMenuOf(view).map((entry) =>
      'separator' in entry
        ? { type: 'separator' }
        : {
            id: entry.id,
            label: entry.label,
            enabled: entry.enabled,
            ...(entry.checked === undefined ? {} : { type: 'checkbox' as const, checked: entry.checked }),
            click: (item) => options.onAction(entry.id, view, entry.checked === undefined ? undefined : item.checked),
          },
    );
    const extra = (options.extraItems ?? []).map((item): MenuItemConstructorOptions => ({
      label: item.label,
      click: item.click,
    }));
    // Quit stays last, after its separator.
    if (extra.length > 0) template.splice(template.length - 2, 0, { type: 'separator' }, ...extra);
    tray.setContextMenu(Menu.buildFromTemplate(template));
  }

  update(options.view);
  return {
    update,
    view: () => current,
    click: (id, checked) => options.onAction(id, current, checked),
    destroy: () => tray.destroy(),
  };
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
