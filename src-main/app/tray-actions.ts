// What each tray menu item does, through the host and the desktop's UI port only (no Electron here),
// so every item is tested with a real host and a recording UI. Failures are shown to the user, never
// swallowed: the tray has no console.
import type { Session } from '../../src-shared/domain/records';
import type { TrayMenuId, TrayView } from './tray-state';

export interface TrayHost {
  setNightMode(enabled: boolean): unknown;
  runNow(): Promise<Session>;
  stopAfterCurrentTask(): boolean;
  freeModelMemory(): Promise<boolean>;
}

/** The desktop's own surfaces: windows, the file manager, dialogs, quitting. */
export interface DesktopUi {
  openWindow(): void;
  /** Opens the window on the first-run flow (`#/setup`). */
  openSetup(): void;
  /** Opens the morning report (of this session, or the latest). */
  openReport(sessionId: string | null): void;
  openDataFolder(): void;
  showError(title: string, message: string): void;
  quit(): void;
}

export async function runTrayAction(
  id: TrayMenuId,
  view: TrayView,
  host: TrayHost,
  ui: DesktopUi,
  checked?: boolean,
): Promise<void> {
  try {
    switch (id) {
      case 'night-mode':
        host.setNightMode(checked ?? !view.nightMode.enabled);
        return;
      case 'run-now':
        // What needs the user afterwards arrives as a notification that opens the report.
        await host.runNow();
        return;
      case 'stop':
        host.stopAfterCurrentTask();
        return;
      case 'changes-waiting':
        ui.openReport(view.reportSessionId);
        return;
      case 'open-window':
        ui.openWindow();
        return;
      case 'finish-setup':
        ui.openSetup();
        return;
      case 'open-data-folder':
        ui.openDataFolder();
        return;
      case 'free-model':
        await host.freeModelMemory();
        return;
      case 'quit':
        ui.quit();
        return;
      case 'window':
        return;
    }
  } catch (error) {
    ui.showError(failureTitles[id], error instanceof Error ? error.message : String(error));
  }
}

const failureTitles: Record<TrayMenuId, string> = {
  'night-mode': 'Night mode was not changed',
  'run-now': 'The session could not run',
  stop: 'Could not stop the session',
  'changes-waiting': 'Could not open the report',
  'open-window': 'Could not open the window',
  'finish-setup': 'Could not open the setup',
  'open-data-folder': 'Could not open the data folder',
  'free-model': 'Model memory was not freed',
  quit: 'Could not quit',
  window: 'Night window',
};
