// The names of every request channel and push event, kept apart from their zod schemas so that the
// sandboxed preload can check a name at run time without bundling zod (it imports only this file and
// types). Names are `domain:verb`; `channels.ts` and `events.ts` must cover exactly these.
export const channelNames = ['app:getInfo', 'config:get', 'nightMode:get', 'nightMode:set'] as const;
export type ChannelName = (typeof channelNames)[number];

export const eventNames = ['nightMode:changed'] as const;
export type EventName = (typeof eventNames)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (channelNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
