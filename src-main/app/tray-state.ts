// Which picture the tray shows. Attention (something needs the user) beats working (a session is
// running) beats armed (night mode on) beats day. Pure, so it is tested without Electron.
import type { NightModeState } from '../../src-shared/api/channels';

export const trayStates = ['day', 'armed', 'working', 'attention'] as const;
export type TrayState = (typeof trayStates)[number];

export interface TrayView {
  nightMode: NightModeState;
  /** A night session is running. */
  working: boolean;
  /** Changes wait for review, or something failed and the user should look. */
  needsAttention: boolean;
}

export function trayStateOf(view: TrayView): TrayState {
  if (view.needsAttention) return 'attention';
  if (view.working) return 'working';
  return view.nightMode.enabled ? 'armed' : 'day';
}

/** `tray-<state>.png` (16 px); Electron picks `tray-<state>@2x.png` (32 px) on HiDPI screens itself. */
export function trayIconFile(state: TrayState): string {
  return `tray-${state}.png`;
}

export function trayTooltip(view: TrayView): string {
  const { startTime, endTime } = view.nightMode.window;
  const lines: Record<TrayState, string> = {
    day: `night mode off (window ${startTime}–${endTime})`,
    armed: `night mode armed: works ${startTime}–${endTime}`,
    working: 'working on tonight’s tasks',
    attention: 'needs your attention',
  };
  return `Nocturnal Agent — ${lines[trayStateOf(view)]}`;
}
