// The one app window (tray panel, report, settings all render inside it). Locked down: isolated
// context, sandboxed renderer, no Node, our preload as the only bridge, no popups, and navigation
// only within our own renderer.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BrowserWindow } from 'electron';

/** Where the renderer comes from: electron-vite's dev server, or the built files. */
export type RendererSource = { url: string } | { file: string };

export interface WindowManager {
  /** Shows the window, creating it if needed; `route` (e.g. `/report/ses_1`) becomes its #hash. */
  show(route?: string): BrowserWindow;
  /** Whether a frame at this URL is our renderer (the only thing allowed to call the API). */
  isTrustedUrl(url: string): boolean;
}

export function createWindowManager(options: { preloadPath: string; renderer: RendererSource; iconPath: string }): WindowManager {
  let window: BrowserWindow | null = null;
  const trustedBase = 'url' in options.renderer ? new URL(options.renderer.url).origin : pathToFileURL(options.renderer.file).href;

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
    if ('url' in options.renderer) void target.loadURL(route ? `${options.renderer.url.split('#')[0]}#${route}` : options.renderer.url);
    else void target.loadFile(options.renderer.file, route ? { hash: route } : {});
  }

  function create(route: string | undefined): BrowserWindow {
    const created = new BrowserWindow({
      width: 960,
      height: 720,
      minWidth: 480,
      minHeight: 400,
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
    created.on('closed', () => {
      window = null;
    });
    load(created, route);
    return created;
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
      window = create(route);
      return window;
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
