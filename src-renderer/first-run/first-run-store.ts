// The first-run flow's state: what `setup:get` found (checklist, servers, the embedded model that
// fits) and each step's confirmation. Nothing is written until a step's own button is pressed; a
// skipped step writes nothing and can be finished later from the Setup view.
import { create } from 'zustand';
import type { SetupInfo, SetupStepId } from '../../src-shared/domain/setup';
import { call } from '../stores/call';
import { loading, loadError, ready } from '../stores/loadable';
import type { Loadable } from '../stores/loadable';

export type StepState =
  | { phase: 'open' }
  | { phase: 'saving' }
  | { phase: 'saved'; note: string }
  | { phase: 'skipped' }
  | { phase: 'error'; message: string };

export type NightDraft = { startTime: string; endTime: string; nightMode: boolean; notifications: boolean };

export interface FirstRunState {
  info: Loadable<SetupInfo>;
  steps: Record<SetupStepId, StepState>;
  load(): Promise<void>;
  /** Looks for servers again (one started after the window opened) without clearing the steps. */
  rescan(): Promise<void>;
  rescanning: boolean;
  skip(step: SetupStepId): void;
  reopen(step: SetupStepId): void;
  chooseServer(apiUrl: string, model: string): Promise<void>;
  chooseEmbedded(modelId: string): Promise<void>;
  /** The repository step is confirmed by `workspaces:add` in the step itself; this records the outcome. */
  repositoryAdded(note: string): void;
  setNight(draft: NightDraft): Promise<void>;
}

const open: StepState = { phase: 'open' };

export const useFirstRunStore = create<FirstRunState>()((set, get) => {
  const step = (id: SetupStepId, state: StepState) => set({ steps: { ...get().steps, [id]: state } });
  const refresh = async () => {
    // The checklist after a write: the engine's word on what is still missing.
    const result = await call('setup:get', {});
    if (!('error' in result)) set({ info: ready(result.data) });
  };
  return {
    info: loading,
    rescanning: false,
    steps: { model: open, repository: open, night: open },

    async load() {
      set({ info: loading });
      const result = await call('setup:get', {});
      set({ info: 'error' in result ? loadError(result.error.message) : ready(result.data) });
    },
    async rescan() {
      set({ rescanning: true });
      await refresh();
      set({ rescanning: false });
    },
    skip: (id) => step(id, { phase: 'skipped' }),
    reopen: (id) => step(id, open),

    async chooseServer(apiUrl, model) {
      step('model', { phase: 'saving' });
      const result = await call('setup:useServer', { apiUrl, model });
      if ('error' in result) return step('model', { phase: 'error', message: result.error.message });
      step('model', { phase: 'saved', note: `Using ${model} on ${apiUrl}` });
      await refresh();
    },
    async chooseEmbedded(modelId) {
      step('model', { phase: 'saving' });
      const result = await call('setup:useEmbedded', { modelId });
      if ('error' in result) return step('model', { phase: 'error', message: result.error.message });
      step('model', {
        phase: 'saved',
        note: result.data.downloading
          ? `Using ${modelId}; downloading it now — you can go on meanwhile`
          : `Using ${modelId} (already downloaded)`,
      });
      await refresh();
    },
    repositoryAdded(note) {
      step('repository', { phase: 'saved', note });
      void refresh();
    },
    async setNight(draft) {
      step('night', { phase: 'saving' });
      const result = await call('setup:setNight', draft);
      if ('error' in result) return step('night', { phase: 'error', message: result.error.message });
      step('night', {
        phase: 'saved',
        note: `Night ${draft.startTime}–${draft.endTime}, night mode ${draft.nightMode ? 'armed' : 'off'}, notifications ${draft.notifications ? 'on' : 'off'}`,
      });
      await refresh();
    },
  };
});
