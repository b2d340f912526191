// Receiving-side checks: what arrives over a transport is untrusted until it matches the contract.
import { channels } from './channels';
import type { ChannelResult } from './channels';
import { events } from './events';
import type { EventPayload } from './events';
import { describeIssues } from './issues';
import type { ChannelName, EventName } from './names';
import { failure, resultSchema } from './result';
import type { Result } from './result';

export function checkChannelResult<C extends ChannelName>(channel: C, raw: unknown): Result<ChannelResult<C>> {
  const parsed = resultSchema(channels[channel].response).safeParse(raw);
  if (!parsed.success) {
    return failure('contract', `${channel}: unexpected answer: ${describeIssues(parsed.error, 'answer')}`);
  }
  return parsed.data as Result<ChannelResult<C>>;
}

export function checkEventPayload<E extends EventName>(
  event: E,
  raw: unknown,
): { payload: EventPayload<E> } | { problem: string } {
  const parsed = events[event].safeParse(raw);
  if (!parsed.success) return { problem: `${event}: unexpected payload: ${describeIssues(parsed.error, 'payload')}` };
  return { payload: parsed.data as EventPayload<E> };
}
