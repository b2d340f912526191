// What `nocturnal serve` runs behind its HTTP transport: the engine host (src-main/host), i.e. an engine
// that stays up (watching config.yaml and the database for changes other processes make), its night
// scheduler, the API handlers with session control through that scheduler, and its event stream.
import type { ChannelHandlers } from '../../src-shared/api/dispatch';
import type { EventName } from '../../src-shared/api/names';
import type { Config } from '../../src-shared/config/schema';
import type { Engine } from '../engine/engine';
import type { LogLevel } from '../engine/log/logger';
import { startEngineHost } from '../host/engine-host';

export interface ServeHostOptions {
  home: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  cwd: string;
  console: { stream: NodeJS.WritableStream; level: LogLevel };
  /** How often the database is checked for other processes' changes. */
  watchIntervalMs?: number;
}

export interface ServeHost {
  readonly engine: Engine;
  readonly handlers: ChannelHandlers;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  /** Stops after the current task (if a session runs), then closes the engine. */
  close(): Promise<void>;
}

export async function createServeHost(options: ServeHostOptions): Promise<ServeHost> {
  // The same transport-neutral host the desktop app runs: the night scheduler included, so a machine
  // without a desktop runs the whole product, and session:start/stop go through that scheduler.
  const host = await startEngineHost({
    home: options.home,
    env: options.env,
    kind: 'server',
    cwd: options.cwd,
    console: options.console,
    watchIntervalMs: options.watchIntervalMs ?? 500,
  });
  return {
    engine: host.engine,
    handlers: host.handlers,
    subscribe: (listener) => host.onContractEvent((event, payload) => listener(event, payload)),
    close: () => host.close(),
  };
}
