// The app window (report, queue, settings…) and the small tray panel beside the tray icon. Locked down: isolated
// context, sandboxed renderer, no Node, our preload as the only bridge, no popups, and navigation
// only within our own renderer.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow, screen } from 'electron';
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';

/** Where the renderer comes from: electron-vite's dev server, or the built files. */
export type RendererSource = { url: string } | { file: string };

export interface WindowManager {
  /** Shows the window, creating it if needed; `route` (e.g. `/report/ses_1`) becomes its #hash. */
  show(route?: string): BrowserWindow;
  /**
   * The tray panel: a small window on `#/tray` beside the tray icon (night status, the running task,
   * what waits). A second click, or focus moving elsewhere, hides it.
   */
  togglePanel(trayBounds: Rectangle): void;
  /** Whether a frame at this URL is our renderer (the only thing allowed to call the API). */
  isTrustedUrl(url: string): boolean;
}

const PANEL_SIZE = { width: 360, height: 460 };

export function createWindowManager(options: {
  preloadPath: string;
  renderer: RendererSource;
  iconPath: string;
}): WindowManager {
  let window: BrowserWindow | null = null;
  let panel: BrowserWindow | null = null;
  const trustedBase =
    'url' in options.renderer ? new URL(options.renderer.url).origin : pathToFileURL(options.renderer.file).href;

  function isTrustedUrl(url: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if ('url' in options.renderer) return parsed.origin === trustedBase;
    // file: URLs have no useful origin; compare the document itself, ignoring #route and ?query.
    parsed.hash = '';
    parsed.search = '';
    return parsed.href === trustedBase;
  }

  function load(target: BrowserWindow, route: string | undefined): void {
    if ('url' in options.renderer)
      void target.loadURL(route ? `${options.renderer.url.split('#')[0]}#${route}` : options.renderer.url);
    else void target.loadFile(options.renderer.file, route ? { hash: route } : {});
  }

  /** Every window gets the same lock-down; only its shape differs. */
  function create(route: string | undefined, shape: BrowserWindowConstructorOptions): BrowserWindow {
    const created = new BrowserWindow({
      ...shape,
      show: false,
      title: 'Nocturnal Agent',
      backgroundColor: '#0b1020',
      autoHideMenuBar: true,
      icon: options.iconPath,
      webPreferences: {
        preload: options.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    created.once('ready-to-show', () => created.show());
    created.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    created.webContents.on('will-navigate', (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    load(created, route);
    return created;
  }

  /** Beside the tray icon, inside the work area of the display it sits on (above a bottom panel, below a top one). */
  function panelPosition(trayBounds: Rectangle): { x: number; y: number } {
    const area = screen.getDisplayNearestPoint({ x: trayBounds.x, y: trayBounds.y }).workArea;
    const below = trayBounds.y < area.y + area.height / 2;
    const x = Math.round(trayBounds.x + trayBounds.width / 2 - PANEL_SIZE.width / 2);
    const y = below ? trayBounds.y + trayBounds.height : trayBounds.y - PANEL_SIZE.height;
    return {
      x: Math.min(Math.max(x, area.x), area.x + area.width - PANEL_SIZE.width),
      y: Math.min(Math.max(y, area.y), area.y + area.height - PANEL_SIZE.height),
    };
  }

  return {
    show(route) {
      if (window && !window.isDestroyed()) {
        if (route) load(window, route);
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
        return window;
      }
      const created = create(route, { width: 960, height: 720, minWidth: 480, minHeight: 400 });
      created.on('closed', () => {
        window = null;
      });
      window = created;
      return created;
    },
    togglePanel(trayBounds) {
      if (panel && !panel.isDestroyed()) {
        if (panel.isVisible()) panel.hide();
        else {
          const { x, y } = panelPosition(trayBounds);
          panel.setPosition(x, y);
          panel.show();
          panel.focus();
        }
        return;
      }
      const created = create('/tray', {
        ...PANEL_SIZE,
        ...panelPosition(trayBounds),
        frame: false,
        resizable: false,
        skipTaskbar: true,
        alwaysOnTop: true,
        fullscreenable: false,
      });
      created.on('blur', () => created.hide());
      created.on('closed', () => {
        panel = null;
      });
      panel = created;
    },
    isTrustedUrl,
  };
}

/** The dev server electron-vite announces in development, else the built index.html next to main. */
export function rendererSource(mainDir: string, env: NodeJS.ProcessEnv, packaged: boolean): RendererSource {
  const devUrl = env['ELECTRON_RENDERER_URL'];
  if (devUrl && !packaged) return { url: devUrl };
  return { file: path.join(mainDir, '..', 'renderer', 'index.html') };
}
