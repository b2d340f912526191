// The configuration as the engine holds it, edited one field at a time through `config:set`; a refused
// value keeps its error next to the field it names until the field is changed again.
import { create } from 'zustand';
import type { Config } from '../../src-shared/config/schema';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';

export interface ConfigState {
  config: Loadable<Config>;
  /** `section.field` → the engine's message for the last refused value. */
  fieldErrors: Record<string, string>;
  /** `section.field` of the last saved field, for a short "Saved" beside it. */
  saved: string | null;

  load(): Promise<void>;
  configChanged(config: Config): void;
  set(path: string, value: unknown): Promise<boolean>;
}

export type ConfigData = Pick<ConfigState, 'config' | 'fieldErrors' | 'saved'>;
export const initialConfigData: ConfigData = { config: loading, fieldErrors: {}, saved: null };

export const useConfigStore = create<ConfigState>()((set, get) => ({
  ...initialConfigData,

  async load() {
    const result = await call('config:get', {});
    set({ config: 'error' in result ? loadError(result.error.message) : ready(result.data) });
  },

  configChanged(config) {
    set({ config: ready(config) });
  },

  async set(path, value) {
    const result = await call('config:set', { path, value });
    const { [path]: _cleared, ...rest } = get().fieldErrors;
    if ('error' in result) {
      set({ fieldErrors: { ...rest, [path]: result.error.message }, saved: null });
      return false;
    }
    set({ config: ready(result.data), fieldErrors: rest, saved: path });
    return true;
  },
}));
