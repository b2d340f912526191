// The renderer's state: connection to the engine, app info and night mode. One store, state and
// actions in one type; components select the slices they render.
import { create } from 'zustand';
import type { AppInfo, NightModeState } from '../src-shared/api/channels';
import type { ApiClient } from './api-client';

export type Connection =
  | { status: 'connecting' }
  | { status: 'connected' }
  | { status: 'not_connected'; message: string }
  | { status: 'failed'; message: string };

export interface AppState {
  client: ApiClient | null;
  connection: Connection;
  info: AppInfo | null;
  nightMode: NightModeState | null;
  nightModeBusy: boolean;
  /** The last failed action, shown until the next one succeeds. */
  actionError: string | null;

  /** Loads what the header needs; safe to call more than once. */
  connect(client: ApiClient): Promise<void>;
  setNightMode(enabled: boolean): Promise<void>;
  /** Applies a `nightMode:changed` push (e.g. the tray's checkbox). */
  nightModeChanged(state: NightModeState): void;
}

export type AppData = Omit<AppState, 'connect' | 'setNightMode' | 'nightModeChanged'>;

export const initialAppData: AppData = {
  client: null,
  connection: { status: 'connecting' },
  info: null,
  nightMode: null,
  nightModeBusy: false,
  actionError: null,
};

export const useAppStore = create<AppState>()((set, get) => ({
  ...initialAppData,

  async connect(client) {
    set({ client, connection: { status: 'connecting' } });
    const info = await client.invoke('app:getInfo', {});
    if ('error' in info) {
      const { type, message } = info.error;
      set({
        connection: type === 'not_connected' ? { status: 'not_connected', message } : { status: 'failed', message },
      });
      return;
    }
    const nightMode = await client.invoke('nightMode:get', {});
    if ('error' in nightMode) {
      set({ info: info.data, connection: { status: 'failed', message: nightMode.error.message } });
      return;
    }
    set({ info: info.data, nightMode: nightMode.data, connection: { status: 'connected' } });
  },

  async setNightMode(enabled) {
    const { client } = get();
    if (!client) return;
    set({ nightModeBusy: true });
    const result = await client.invoke('nightMode:set', { enabled });
    if ('error' in result)
      set({ nightModeBusy: false, actionError: `Night mode was not changed: ${result.error.message}` });
    else set({ nightModeBusy: false, nightMode: result.data, actionError: null });
  },

  nightModeChanged(state) {
    set({ nightMode: state });
  },
}));
