// The sandboxed preload: exposes `window.nocturnal` and nothing else. It forwards only contract
// channel and event names, never hands the page an Electron object (the IPC event is dropped), and
// turns a failed IPC hop into an `{error}` value. Built as CommonJS because sandboxed preloads
// cannot be ES modules; it imports only zod-free modules so the bundle stays tiny.
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { NocturnalBridge } from '../../src-shared/api/bridge';
import type { ChannelPayload, ChannelResult } from '../../src-shared/api/channels';
import type { EventPayload } from '../../src-shared/api/events';
import { isChannelName, isEventName } from '../../src-shared/api/names';
import type { ChannelName, EventName } from '../../src-shared/api/names';
import type { Result } from '../../src-shared/api/result';

const bridge = {
  async invoke<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<Result<ChannelResult<C>>> {
    if (!isChannelName(channel)) {
      return { error: { type: 'unknown_channel', message: `unknown channel ${JSON.stringify(channel)}` } };
    }
    try {
      return (await ipcRenderer.invoke(channel, payload)) as Result<ChannelResult<C>>;
    } catch (error) {
      return {
        error: {
          type: 'not_connected',
          message: `${channel}: ${error instanceof Error ? error.message : String(error)}`,
        },
      };
    }
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event ${JSON.stringify(event)}`);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as EventPayload<E>);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
} satisfies NocturnalBridge;

contextBridge.exposeInMainWorld('nocturnal', bridge);
