// The handlers behind the API channels the desktop app answers today. They are plain functions over
// the engine's modules (no Electron here), so they are tested directly and can move behind the
// engine's own API object when that exists.
import type { AppInfo } from '../../src-shared/api/channels';
import type { SomeChannelHandlers } from '../../src-shared/api/dispatch';
import type { ConfigState } from './config-state';

export function createApiHandlers(deps: { config: ConfigState; info: () => AppInfo }): SomeChannelHandlers {
  return {
    'app:getInfo': () => deps.info(),
    'config:get': () => deps.config.load(),
    'nightMode:get': () => deps.config.nightMode(),
    'nightMode:set': ({ enabled }) => deps.config.setNightMode(enabled),
  };
}
