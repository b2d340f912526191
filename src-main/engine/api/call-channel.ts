// Calling a channel in-process, as the CLI does: through the same `dispatch` every transport uses
// (payload validated, answer checked against the contract), with an `{error}` turned back into a
// NocturnalError of the matching kind so the CLI's exit status stays 2 for input errors, 1 otherwise.
import type { ChannelPayload, ChannelResult } from '../../../src-shared/api/channels';
import { dispatch } from '../../../src-shared/api/dispatch';
import type { SomeChannelHandlers } from '../../../src-shared/api/dispatch';
import type { ChannelName } from '../../../src-shared/api/names';
import type { ApiErrorType } from '../../../src-shared/api/result';
import { NocturnalError } from '../errors/nocturnal-error';
import type { NocturnalErrorKind } from '../errors/nocturnal-error';
import { describeError } from './describe-error';

const kindOfType: Record<ApiErrorType, NocturnalErrorKind> = {
  validation: 'validation',
  usage: 'usage',
  not_found: 'not_found',
  conflict: 'conflict',
  runtime: 'runtime',
  unknown_channel: 'usage',
  forbidden: 'runtime',
  not_connected: 'runtime',
  contract: 'runtime',
};

export async function callChannel<C extends ChannelName>(
  handlers: SomeChannelHandlers,
  channel: C,
  payload: ChannelPayload<C>,
): Promise<ChannelResult<C>> {
  const result = await dispatch(channel, payload, handlers, describeError);
  if ('error' in result) throw new NocturnalError(kindOfType[result.error.type], result.error.message);
  return result.data as ChannelResult<C>;
}
