// The stores' one way to call the engine: through the client the app store connected with. Without
// one (before connect, or in a test that did not set it) every call answers `not_connected`.
import type { ChannelPayload, ChannelResult } from '../../src-shared/api/channels';
import type { ChannelName } from '../../src-shared/api/names';
import { failure } from '../../src-shared/api/result';
import type { Result } from '../../src-shared/api/result';
import { notConnectedMessage } from '../api-client';
import { useAppStore } from '../app-store';

export function call<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<Result<ChannelResult<C>>> {
  const client = useAppStore.getState().client;
  if (!client) return Promise.resolve(failure('not_connected', notConnectedMessage));
  return client.invoke(channel, payload);
}
