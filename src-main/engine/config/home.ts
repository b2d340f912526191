// Where the app and the CLI keep config, database, logs, worktrees and models. Both must agree, so
// neither asks Electron: the default mirrors the OS application-data folder Electron would use.
import os from 'node:os';
import path from 'node:path';
import { NocturnalError } from '../errors/nocturnal-error';

export const APP_DIR_NAME = 'nocturnal-agent';

export interface ResolveHomeOptions {
  /** `--home DIR` from the command line, if given. */
  home?: string | undefined;
  env: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}

export function resolveHome(options: ResolveHomeOptions): string {
  const explicit = options.home ?? options.env['NOCTURNAL_HOME'];
  if (explicit !== undefined) {
    // An empty home is a mistake (an unset shell variable, say), never a request for the default
    // home: falling back would read and change another home than the one meant.
    if (explicit.trim() === '') {
      throw new NocturnalError(
        'usage',
        '--home (or NOCTURNAL_HOME) is empty: give the folder to use, or leave both out for the default home',
      );
    }
    return path.resolve(explicit);
  }
  return path.join(defaultAppDataDir(options.env, options.platform ?? process.platform), APP_DIR_NAME);
}

function defaultAppDataDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  const homeDir = env['HOME'] ?? os.homedir();
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Application Support');
  if (platform === 'win32') return env['APPDATA'] ?? path.join(homeDir, 'AppData', 'Roaming');
  return env['XDG_CONFIG_HOME'] ?? path.join(homeDir, '.config');
}

/** The fixed layout inside a home. */
export function homePaths(home: string) {
  return {
    home,
    config: path.join(home, 'config.yaml'),
    database: path.join(home, 'nocturnal.db'),
    lock: path.join(home, 'locks', 'engine.lock'),
    logs: path.join(home, 'logs'),
    worktrees: path.join(home, 'worktrees'),
    models: path.join(home, 'models'),
    vault: path.join(home, 'vault'),
    /** Dependency caches: `deps/<workspace id>/<lock-file hash>/` (DESIGN §9b). */
    deps: path.join(home, 'deps'),
    /** The git that passed the version check, so a start with the same git spawns none (git-version-record). */
    gitVersion: path.join(home, 'git-version.json'),
  };
}
export type HomePaths = ReturnType<typeof homePaths>;
