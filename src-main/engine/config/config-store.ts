// The one writer of config.yaml (DESIGN §8b). A change is validated against the whole schema, written
// with the user's comments and layout kept, read back (with the environment overrides) and published
// as `config:changed` (and `nightMode:changed` when night mode or its window moved). Edits that others
// make to the file — the CLI, a text editor — are noticed by watching it and published the same way,
// so a running engine always holds the config that is on disk. An edit that leaves the file invalid is
// logged and ignored until it is fixed: the engine keeps the last valid config rather than guessing.
import fs from 'node:fs';
import path from 'node:path';
import type { ChangeOrigin } from '../../../src-shared/api/events';
import { configSchema } from '../../../src-shared/config/schema';
import type { Config } from '../../../src-shared/config/schema';
import { nightModeOf } from '../../../src-shared/domain/app-state';
import { NocturnalError } from '../errors/nocturnal-error';
import type { EngineEvents } from '../events/engine-events';
import type { Logger } from '../log/logger';
import { loadConfig, setConfigValue } from './config-file';
import { overridingVariables } from './env-overrides';
import { homePaths } from './home';

export interface ConfigStoreDeps {
  home: string;
  env: NodeJS.ProcessEnv;
  /** The config the engine was created with (the CLI and tests pass what they loaded). */
  initial: Config;
  events: EngineEvents;
  log: Logger;
}

export class ConfigStore {
  private current: Config;
  private readonly file: string;
  private watcher: fs.FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly deps: ConfigStoreDeps) {
    this.current = deps.initial;
    this.file = homePaths(deps.home).config;
  }

  /** The config as it is now; read it at the moment of use rather than keeping a copy. */
  get(): Config {
    return this.current;
  }

  /**
   * Sets one field (`section.field`), keeping the file's comments. Refused, naming the variable, when
   * a NOCTURNAL_* override would hide the new value.
   */
  set(fieldPath: string, value: unknown): Config {
    const parts = fieldPath.split('.');
    const [section, field] = parts;
    if (parts.length !== 2 || !section || !field)
      throw new NocturnalError('validation', `${fieldPath}: expected section.field, e.g. scheduler.night_mode`);
    if (!(section in configSchema.shape)) {
      throw new NocturnalError(
        'validation',
        `${fieldPath}: unknown section "${section}" (sections: ${Object.keys(configSchema.shape).join(', ')})`,
      );
    }
    const [variable] = overridingVariables(this.deps.env, parts);
    if (variable !== undefined) {
      throw new NocturnalError(
        'conflict',
        `${fieldPath} is set by the environment variable ${variable}=${this.deps.env[variable]}; unset it to change ${fieldPath} here`,
      );
    }
    return this.write(parts, value);
  }

  /**
   * Writes a field even when an environment variable hides it (`model use` warns about that instead
   * of refusing), then reloads and publishes.
   */
  write(fieldPath: string[], value: unknown): Config {
    setConfigValue(this.deps.home, fieldPath, value);
    this.reload('engine');
    return this.current;
  }

  /** Reads the file again; publishes when the effective config changed. Throws on an invalid file. */
  reload(origin: ChangeOrigin): boolean {
    const next = loadConfig({ home: this.deps.home, env: this.deps.env });
    if (JSON.stringify(next) === JSON.stringify(this.current)) return false;
    const before = this.current;
    this.current = next;
    this.deps.events.publish('config:changed', { config: next, origin });
    const [nightBefore, nightAfter] = [nightModeOf(before), nightModeOf(next)];
    if (JSON.stringify(nightBefore) !== JSON.stringify(nightAfter))
      this.deps.events.publish('nightMode:changed', nightAfter);
    return true;
  }

  /** Watches config.yaml for edits by others (the folder, since writers replace the file). */
  watch(debounceMs = 150): void {
    if (this.watcher) return;
    fs.mkdirSync(this.deps.home, { recursive: true });
    this.watcher = fs.watch(this.deps.home, { persistent: false }, (_event, name) => {
      if (name !== null && name !== path.basename(this.file)) return;
      if (this.debounce) clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reloadQuietly(), debounceMs);
      this.debounce.unref();
    });
    this.watcher.on('error', (error) => this.deps.log.warn({ err: String(error) }, 'stopped watching config.yaml'));
    // What changed between the engine's start and the watch taking effect.
    this.reloadQuietly();
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = undefined;
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = undefined;
  }

  private reloadQuietly(): void {
    try {
      if (this.reload('external'))
        this.deps.log.info({ file: this.file }, 'config.yaml changed; new settings apply from now on');
    } catch (error) {
      this.deps.log.error(
        { file: this.file, err: error instanceof Error ? error.message : String(error) },
        'config.yaml was changed into an invalid configuration; keeping the last valid one until it is fixed',
      );
    }
  }
}
