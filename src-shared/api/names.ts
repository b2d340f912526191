// The names of every request channel and push event, kept apart from their zod schemas so that the
// sandboxed preload can check a name at run time without bundling zod (it imports only this file and
// types). Names are `domain:verb`; `channels.ts` and `events.ts` must cover exactly these.
export const channelNames = [
  'app:getInfo',
  'status:get',
  'config:get',
  'config:set',
  'nightMode:get',
  'nightMode:set',
  'workspaces:list',
  'workspaces:add',
  'workspaces:update',
  'workspaces:remove',
  'workspaces:detect',
  'workspaces:check',
  'tasks:list',
  'tasks:get',
  'tasks:add',
  'tasks:update',
  'tasks:cancel',
  'tasks:retry',
  'review:list',
  'review:get',
  'review:approve',
  'review:reject',
  'review:undo',
  'sessions:list',
  'report:get',
  'session:start',
  'session:stop',
  'models:list',
  'models:pull',
  'models:cancel',
  'models:use',
  'models:remove',
  'models:free',
  'setup:get',
  'setup:useServer',
  'setup:useEmbedded',
  'setup:setNight',
] as const;
export type ChannelName = (typeof channelNames)[number];

export const eventNames = [
  'status:changed',
  'session:progress',
  'task:changed',
  'review:changed',
  'models:progress',
  'config:changed',
  'nightMode:changed',
] as const;
export type EventName = (typeof eventNames)[number];

export function isChannelName(value: unknown): value is ChannelName {
  return typeof value === 'string' && (channelNames as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (eventNames as readonly string[]).includes(value);
}
