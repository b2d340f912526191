// The renderer's one way to reach the engine. It wraps `window.nocturnal` (the preload bridge) and
// checks every answer against the shared contract. Without a bridge — the page served in a plain
// browser, or a preload that failed — every call answers `not_connected` instead of throwing, so the
// UI can say so plainly rather than showing made-up data.
import type { NocturnalBridge } from '../src-shared/api/bridge';
import type { ChannelPayload, ChannelResult } from '../src-shared/api/channels';
import type { EventPayload } from '../src-shared/api/events';
import type { ChannelName, EventName } from '../src-shared/api/names';
import { failure } from '../src-shared/api/result';
import type { Result } from '../src-shared/api/result';
import { checkChannelResult, checkEventPayload } from '../src-shared/api/validate';

export const notConnectedMessage =
  'This window is not connected to the Nocturnal engine (no desktop bridge found), so there is no live data to show.';

export interface ApiClient {
  readonly connected: boolean;
  invoke<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<Result<ChannelResult<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(bridge: NocturnalBridge | undefined): ApiClient {
  if (!bridge) {
    return {
      connected: false,
      invoke: () => Promise.resolve(failure('not_connected', notConnectedMessage)),
      on: () => () => undefined,
    };
  }
  return {
    connected: true,
    async invoke(channel, payload) {
      let raw: unknown;
      try {
        raw = await bridge.invoke(channel, payload);
      } catch (error) {
        return failure('not_connected', `${channel}: the desktop bridge failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      return checkChannelResult(channel, raw);
    },
    on(event, listener) {
      return bridge.on(event, (raw: unknown) => {
        const checked = checkEventPayload(event, raw);
        if ('payload' in checked) listener(checked.payload);
        else console.error(checked.problem);
      });
    },
  };
}
