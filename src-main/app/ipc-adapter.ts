// The only place that touches raw Electron IPC. Each contract channel gets one handler that checks
// who is calling, validates the payload and answers `{data}` or `{error}` (shared `dispatch`); push
// events are validated before they go out to the windows.
import { BrowserWindow, ipcMain } from 'electron';
import { dispatch } from '../../src-shared/api/dispatch';
import type { ErrorDescriber, SomeChannelHandlers } from '../../src-shared/api/dispatch';
import { events } from '../../src-shared/api/events';
import type { EventPayload } from '../../src-shared/api/events';
import { describeIssues } from '../../src-shared/api/issues';
import { channelNames } from '../../src-shared/api/names';
import type { EventName } from '../../src-shared/api/names';
import { failure } from '../../src-shared/api/result';

export interface IpcAdapter {
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void;
  dispose(): void;
}

export function registerIpc(options: {
  handlers: SomeChannelHandlers;
  describeError: ErrorDescriber;
  isTrustedSender(url: string): boolean;
}): IpcAdapter {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      // Only our own renderer may call: not a navigated-away frame, not an embedded page.
      const url = event.senderFrame?.url;
      if (!url || !options.isTrustedSender(url)) {
        return failure(
          'forbidden',
          `${channel}: calls are accepted only from the Nocturnal Agent window (sender: ${url ?? 'unknown'})`,
        );
      }
      return dispatch(channel, payload, options.handlers, options.describeError);
    });
  }

  return {
    publish(event, payload) {
      const checked = events[event].safeParse(payload);
      if (!checked.success)
        throw new Error(
          `${event}: refusing to send a payload outside the contract: ${describeIssues(checked.error, 'payload')}`,
        );
      for (const window of BrowserWindow.getAllWindows()) {
        if (!window.isDestroyed()) window.webContents.send(event, checked.data);
      }
    },
    dispose() {
      for (const channel of channelNames) ipcMain.removeHandler(channel);
    },
  };
}
