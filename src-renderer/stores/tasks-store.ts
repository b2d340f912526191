// Every task the engine knows, kept live by `task:changed`; the queue view sorts and filters.
import { create } from 'zustand';
import type { ChannelPayload } from '../../src-shared/api/channels';
import type { Task } from '../../src-shared/domain/records';
import { call } from './call';
import { loading, loadError, ready } from './loadable';
import type { Loadable } from './loadable';

export type TaskDraft = ChannelPayload<'tasks:add'>;
export type TaskChanges = ChannelPayload<'tasks:update'>;

/** An action's answer: null when it worked, else the engine's message. */
export type ActionOutcome = string | null;

export interface TasksState {
  tasks: Loadable<Task[]>;
  actionError: string | null;

  load(): Promise<void>;
  taskChanged(task: Task): void;
  add(draft: TaskDraft): Promise<ActionOutcome>;
  update(changes: TaskChanges): Promise<ActionOutcome>;
  cancel(id: string): Promise<ActionOutcome>;
  retry(id: string, note?: string): Promise<ActionOutcome>;
}

export type TasksData = Pick<TasksState, 'tasks' | 'actionError'>;
export const initialTasksData: TasksData = { tasks: loading, actionError: null };

export const useTasksStore = create<TasksState>()((set, get) => {
  /** Applies an answer that is a task; returns the message of a failure. */
  const apply = (result: { data: Task } | { error: { message: string } }, what: string): ActionOutcome => {
    if ('error' in result) {
      const message = `${what}: ${result.error.message}`;
      set({ actionError: message });
      return message;
    }
    get().taskChanged(result.data);
    set({ actionError: null });
    return null;
  };
  return {
    ...initialTasksData,

    async load() {
      const result = await call('tasks:list', {});
      set({ tasks: 'error' in result ? loadError(result.error.message) : ready(result.data) });
    },

    taskChanged(task) {
      const current = get().tasks;
      if (current.status !== 'ready') return;
      const known = current.data.some((t) => t.id === task.id);
      set({ tasks: ready(known ? current.data.map((t) => (t.id === task.id ? task : t)) : [...current.data, task]) });
    },

    async add(draft) {
      return apply(await call('tasks:add', draft), 'The task was not added');
    },
    async update(changes) {
      return apply(await call('tasks:update', changes), 'The task was not changed');
    },
    async cancel(id) {
      return apply(await call('tasks:cancel', { id }), 'The task was not cancelled');
    },
    async retry(id, note) {
      return apply(await call('tasks:retry', note ? { id, note } : { id }), 'The task was not queued again');
    },
  };
});
