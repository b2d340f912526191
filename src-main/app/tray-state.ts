// What the tray shows, derived only from the engine's status (the contract's EngineStatus): the icon
// state, its tooltip and the menu. Attention (changes wait for review, or the last night had
// failures) beats working (a session runs) beats armed (night mode on) beats day. Pure, so every
// rule is tested without Electron; tray.ts only turns the result into Electron objects.
import type { EngineStatus } from '../../src-shared/domain/app-state';

export const trayStates = ['day', 'armed', 'working', 'attention'] as const;
export type TrayState = (typeof trayStates)[number];

export interface TrayView {
  state: TrayState;
  nightMode: EngineStatus['nightMode'];
  /** Changes waiting for review. */
  waiting: number;
  /** Failed tasks of the last finished session (0 while one runs). */
  failed: number;
  working: boolean;
  stopping: boolean;
  nextStart: string | null;
  modelLoaded: boolean;
  /** The session whose report "N changes waiting" opens. */
  reportSessionId: string | null;
  /** What the setup still lacks, in the user's words ("no model yet"); empty once it is complete. */
  setupMissing: string[];
}

export function trayViewOf(status: EngineStatus): TrayView {
  const working = status.session !== null;
  const last = status.lastSession;
  const failed = !working && last ? last.stats.failed + (last.status === 'failed' ? 1 : 0) : 0;
  const state: TrayState =
    status.waitingReviews > 0 || failed > 0
      ? 'attention'
      : working
        ? 'working'
        : status.nightMode.enabled
          ? 'armed'
          : 'day';
  return {
    state,
    nightMode: status.nightMode,
    waiting: status.waitingReviews,
    failed,
    working,
    stopping: status.stopping,
    nextStart: status.nextStart,
    modelLoaded: status.modelLoaded,
    reportSessionId: (status.session ?? last)?.id ?? null,
    setupMissing: status.setup.steps.filter((step) => !step.done).map((step) => step.missing ?? step.id),
  };
}

/** `tray-<state>.png` (16 px); Electron picks `tray-<state>@2x.png` (32 px) on HiDPI screens itself. */
export function trayIconFile(state: TrayState): string {
  return `tray-${state}.png`;
}

export function trayTooltip(view: TrayView): string {
  const { startTime, endTime } = view.nightMode.window;
  const attention = [
    view.waiting > 0 ? changesWaiting(view.waiting) : null,
    view.failed > 0 ? `${view.failed} failed last night` : null,
  ]
    .filter(Boolean)
    .join(', ');
  const lines: Record<TrayState, string> = {
    day: `night mode off (window ${startTime}–${endTime})`,
    armed: `night mode armed: works ${startTime}–${endTime}`,
    working: view.stopping ? 'stopping after this task' : 'working on tonight’s tasks',
    attention: `needs your attention: ${attention}`,
  };
  return `Nocturnal Agent — ${lines[view.state]}`;
}

export function changesWaiting(count: number): string {
  return count === 1 ? '1 change waiting' : `${count} changes waiting`;
}

export type TrayMenuId =
  | 'finish-setup'
  | 'night-mode'
  | 'window'
  | 'run-now'
  | 'stop'
  | 'changes-waiting'
  | 'open-window'
  | 'open-data-folder'
  | 'free-model'
  | 'quit';

export type TrayMenuEntry =
  { id: TrayMenuId; label: string; enabled: boolean; checked?: boolean } | { separator: true };

/** The menu for a view: what each item says and whether it can be used now. */
export function trayMenuOf(view: TrayView): TrayMenuEntry[] {
  const { startTime, endTime } = view.nightMode.window;
  // An incomplete setup comes first: nothing else in the menu works well until it is finished.
  const setup: TrayMenuEntry[] =
    view.setupMissing.length > 0
      ? [
          { id: 'finish-setup', label: `Finish setup… (${view.setupMissing.join(', ')})`, enabled: true },
          { separator: true },
        ]
      : [];
  const entries: TrayMenuEntry[] = [
    ...setup,
    { id: 'night-mode', label: 'Night mode', enabled: true, checked: view.nightMode.enabled },
    { id: 'window', label: `Night window ${startTime}–${endTime}`, enabled: false },
    { separator: true },
    { id: 'run-now', label: 'Run now', enabled: !view.working },
    {
      id: 'stop',
      label: view.stopping ? 'Stopping after this task…' : 'Stop after this task',
      enabled: view.working && !view.stopping,
    },
  ];
  if (view.waiting > 0)
    entries.push({ id: 'changes-waiting', label: `${changesWaiting(view.waiting)}…`, enabled: true });
  entries.push(
    { separator: true },
    { id: 'open-window', label: 'Open window', enabled: true },
    { id: 'open-data-folder', label: 'Open data folder', enabled: true },
    { id: 'free-model', label: 'Free model memory', enabled: view.modelLoaded && !view.working },
    { separator: true },
    { id: 'quit', label: 'Quit', enabled: true },
  );
  return entries;
}
