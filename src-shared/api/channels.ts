// Request/response channels of the one engine API (DESIGN §2.5). Every transport validates the
// payload with `request` before a handler sees it and checks the handler's answer with `response`,
// so the contract cannot drift silently. A channel with no input takes `{}` (room to grow options).
import { z } from 'zod';
import { configSchema } from '../config/schema';
import type { ChannelName } from './names';

const noPayload = z.strictObject({});

export const appInfoSchema = z.strictObject({
  productName: z.string(),
  version: z.string(),
  /** Node's platform name of the machine the engine runs on. */
  platform: z.string(),
  /** The data folder: config.yaml, database, logs, worktrees, models. */
  home: z.string(),
  /** Which face answers: the desktop app, the CLI or the loopback server. */
  host: z.enum(['electron', 'cli', 'server']),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export const nightWindowSchema = z.strictObject({
  startTime: z.string(),
  endTime: z.string(),
  timezone: z.string(),
});
export type NightWindow = z.infer<typeof nightWindowSchema>;

/** Night mode armed or not, with the window it applies to. */
export const nightModeStateSchema = z.strictObject({
  enabled: z.boolean(),
  window: nightWindowSchema,
});
export type NightModeState = z.infer<typeof nightModeStateSchema>;

export const setNightModeSchema = z.strictObject({ enabled: z.boolean() });

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const channels = {
  'app:getInfo': { request: noPayload, response: appInfoSchema },
  'config:get': { request: noPayload, response: configSchema },
  'nightMode:get': { request: noPayload, response: nightModeStateSchema },
  'nightMode:set': { request: setNightModeSchema, response: nightModeStateSchema },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** What a caller passes (before defaults are applied). */
export type ChannelPayload<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
/** What a handler receives (after validation). */
export type ChannelRequest<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
/** What a handler returns and a caller receives in `{data}`. */
export type ChannelResult<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;
