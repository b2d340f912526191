// The app's view of config.yaml, read and written only through the engine's config module. The file
// is re-read on every request so edits made with the CLI or a text editor show up; night-mode
// changes are announced to listeners (the tray and open windows).
import { loadConfig, setConfigValue } from '../engine/config/config-file';
import { envVariableName } from '../engine/config/env-overrides';
import { NocturnalError } from '../engine/errors/nocturnal-error';
import type { NightModeState } from '../../src-shared/api/channels';
import type { Config } from '../../src-shared/config/schema';

export interface ConfigState {
  readonly home: string;
  /** Loads config.yaml plus environment overrides; throws ConfigError when they are invalid. */
  load(): Config;
  nightMode(): NightModeState;
  /** Writes `scheduler.night_mode`, keeping the file's comments, and announces the new state. */
  setNightMode(enabled: boolean): NightModeState;
  onNightModeChange(listener: (state: NightModeState) => void): () => void;
}

export function nightModeOf(config: Config): NightModeState {
  const { night_mode, start_time, end_time, timezone } = config.scheduler;
  return { enabled: night_mode, window: { startTime: start_time, endTime: end_time, timezone } };
}

export function createConfigState(options: { home: string; env: NodeJS.ProcessEnv }): ConfigState {
  const { home, env } = options;
  const listeners = new Set<(state: NightModeState) => void>();
  const load = () => loadConfig({ home, env });

  return {
    home,
    load,
    nightMode: () => nightModeOf(load()),
    setNightMode(enabled) {
      // An environment override would win over the file: writing it would change nothing the user
      // can see, so refuse and say which variable to unset.
      const variable = envVariableName('scheduler', 'night_mode');
      if (env[variable] !== undefined) {
        throw new NocturnalError('conflict', `night mode is set by the environment variable ${variable}=${env[variable]}; unset it to switch night mode here`);
      }
      setConfigValue(home, ['scheduler', 'night_mode'], enabled);
      const state = nightModeOf(load());
      for (const listener of listeners) listener(state);
      return state;
    },
    onNightModeChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
