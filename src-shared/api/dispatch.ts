// Transport-neutral request handling: the Electron IPC adapter (and later the loopback server) hand a
// raw channel name and payload here. The payload is validated before a handler runs, the handler's
// answer is checked against the contract, and anything thrown becomes an `{error}` value.
import { channels } from './channels';
import type { ChannelRequest, ChannelResult } from './channels';
import { describeIssues } from './issues';
import { channelNames, isChannelName } from './names';
import type { ChannelName } from './names';
import { failure, ok } from './result';
import type { ApiError, Result } from './result';

export type ChannelHandlers = {
  [C in ChannelName]: (request: ChannelRequest<C>) => ChannelResult<C> | Promise<ChannelResult<C>>;
};

/** A host that answers only some channels (a test double of one screen, a partial host). */
export type SomeChannelHandlers = Partial<ChannelHandlers>;

/** Turns whatever a handler threw into an error a person can read; the host knows its error classes. */
export type ErrorDescriber = (error: unknown) => ApiError;

export async function dispatch(
  channel: unknown,
  payload: unknown,
  handlers: SomeChannelHandlers,
  describeError: ErrorDescriber,
): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return failure(
      'unknown_channel',
      `unknown channel ${JSON.stringify(channel)}; known channels: ${channelNames.join(', ')}`,
    );
  }
  const spec = channels[channel];
  const request = spec.request.safeParse(payload);
  if (!request.success) {
    return failure('validation', `${channel}: invalid payload: ${describeIssues(request.error, 'payload')}`);
  }
  // The mapped type guarantees each handler matches its channel; TypeScript cannot correlate the
  // union of channels with the union of handlers, hence the widening here.
  const handler = handlers[channel] as ((request: unknown) => unknown) | undefined;
  if (!handler) return failure('unknown_channel', `${channel}: this host does not answer this channel`);
  let value: unknown;
  try {
    value = await handler(request.data);
  } catch (error) {
    return { error: describeError(error) };
  }
  const response = spec.response.safeParse(value);
  if (!response.success) {
    return failure(
      'contract',
      `${channel}: the handler answered outside the contract: ${describeIssues(response.error, 'result')}`,
    );
  }
  return ok(response.data);
}
