// The shape of `window.nocturnal`, the one object the preload exposes to the renderer. It is
// deliberately narrow: a typed `invoke` over the channel list and a typed `on` over the event list,
// nothing that hands the page Electron or Node objects. Types only, so the preload bundles no zod.
import type { ChannelName, EventName } from './names';
import type { ChannelPayload, ChannelResult } from './channels';
import type { EventPayload } from './events';
import type { Result } from './result';

export interface NocturnalBridge {
  invoke<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<Result<ChannelResult<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
