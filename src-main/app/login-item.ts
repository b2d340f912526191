// "Open at login" follows `app.open_at_login` in config.yaml: applied at start and whenever the
// config changes, and only when the system's setting differs (no needless writes to the OS).
import type { Config } from '../../src-shared/config/schema';

/** The OS login-item setting (Electron's app.get/setLoginItemSettings in the app). */
export interface LoginItemPort {
  get(): boolean;
  set(openAtLogin: boolean): void;
}

/** Returns whether it changed the system's setting. */
export function syncLoginItem(config: Config, port: LoginItemPort): boolean {
  const wanted = config.app.open_at_login;
  if (port.get() === wanted) return false;
  port.set(wanted);
  return true;
}
