// Registered workspaces and the add form's detection (`workspaces:detect`).
import { create } from 'zustand';
import type { ChannelPayload } from '../../src-shared/api/channels';
import type { Workspace } from '../../src-shared/domain/records';
import type { WorkspaceDetection } from '../../src-shared/domain/workspace-detect';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';
import type { ActionOutcome } from './tasks-store';

export type WorkspaceDraft = ChannelPayload<'workspaces:add'>;

export interface WorkspacesState {
  workspaces: Loadable<Workspace[]>;
  detection: Loadable<WorkspaceDetection> | null;
  actionError: string | null;

  load(): Promise<void>;
  detect(path: string): Promise<void>;
  clearDetection(): void;
  add(draft: WorkspaceDraft): Promise<ActionOutcome>;
  remove(name: string): Promise<ActionOutcome>;
}

export type WorkspacesData = Pick<WorkspacesState, 'workspaces' | 'detection' | 'actionError'>;
export const initialWorkspacesData: WorkspacesData = { workspaces: loading, detection: null, actionError: null };

export const useWorkspacesStore = create<WorkspacesState>()((set, get) => ({
  ...initialWorkspacesData,

  async load() {
    const result = await call('workspaces:list', {});
    set({ workspaces: 'error' in result ? loadError(result.error.message) : ready(result.data) });
  },

  async detect(path) {
    set({ detection: loading });
    const result = await call('workspaces:detect', { path });
    set({ detection: 'error' in result ? loadError(result.error.message) : ready(result.data) });
  },

  clearDetection() {
    set({ detection: null });
  },

  async add(draft) {
    const result = await call('workspaces:add', draft);
    if ('error' in result) {
      const message = `The workspace was not added: ${result.error.message}`;
      set({ actionError: message });
      return message;
    }
    set({ actionError: null, detection: null });
    await get().load();
    return null;
  },

  async remove(name) {
    const result = await call('workspaces:remove', { name });
    if ('error' in result) {
      const message = `The workspace was not removed: ${result.error.message}`;
      set({ actionError: message });
      return message;
    }
    set({ actionError: null });
    await get().load();
    return null;
  },
}));
