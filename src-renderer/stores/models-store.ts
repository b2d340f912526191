// The model manager: what is installed and in use (`models:list`), downloads in flight with their
// progress (`models:progress`), and the actions pull, cancel, use, remove, free.
import { create } from 'zustand';
import type { ModelList, ModelProgress } from '../../src-shared/domain/models';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';

export interface ModelsState {
  list: Loadable<ModelList>;
  /** By the uri asked for (what `models:cancel` takes). */
  downloads: Record<string, ModelProgress>;
  note: string | null;
  actionError: string | null;

  load(): Promise<void>;
  progress(event: ModelProgress): void;
  pull(uri: string): Promise<void>;
  cancel(uri: string): Promise<void>;
  use(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  free(): Promise<void>;
}

export type ModelsData = Pick<ModelsState, 'list' | 'downloads' | 'note' | 'actionError'>;
export const initialModelsData: ModelsData = { list: loading, downloads: {}, note: null, actionError: null };

export const useModelsStore = create<ModelsState>()((set, get) => ({
  ...initialModelsData,

  async load() {
    const result = await call('models:list', {});
    set({ list: 'error' in result ? loadError(result.error.message) : ready(result.data) });
  },

  progress(event) {
    set({ downloads: { ...get().downloads, [event.uri]: event } });
    if (event.state !== 'downloading') void get().load();
  },

  async pull(uri) {
    set({ actionError: null, note: null });
    // The pull answers when the download ends; progress arrives meanwhile as events.
    const result = await call('models:pull', { uri });
    if ('error' in result) set({ actionError: `The download did not finish: ${result.error.message}` });
    else set({ note: `${result.data.fileName} is installed${result.data.resumedFrom > 0 ? ' (resumed)' : ''}` });
    await get().load();
  },

  async cancel(uri) {
    const result = await call('models:cancel', { uri });
    if ('error' in result) set({ actionError: `The download was not cancelled: ${result.error.message}` });
    else
      set({
        note: result.data.cancelled
          ? 'Download cancelled; pulling again resumes it.'
          : 'No download of that model was running.',
      });
  },

  async use(name) {
    const result = await call('models:use', { name });
    if ('error' in result) set({ actionError: `The model was not chosen: ${result.error.message}` });
    else
      set({
        actionError: null,
        note: `Using ${result.data.modelPath}${result.data.shadowedBy ? ` — but ${result.data.shadowedBy} overrides it while set` : ''}`,
      });
    await get().load();
  },

  async remove(name) {
    const result = await call('models:remove', { name });
    if ('error' in result) set({ actionError: `The model was not removed: ${result.error.message}` });
    else set({ actionError: null, note: `Removed ${result.data.removed.length} file(s) of ${result.data.name}` });
    await get().load();
  },

  async free() {
    const result = await call('models:free', {});
    if ('error' in result) set({ actionError: `Memory was not freed: ${result.error.message}` });
    else
      set({
        actionError: null,
        note: result.data.freed ? 'The model was unloaded from memory.' : 'No model was loaded.',
      });
  },
}));
