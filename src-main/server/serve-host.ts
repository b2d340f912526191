// What `nocturnal serve` runs behind its HTTP transport: an engine that stays up (watching config.yaml
// and the database for changes other processes make), the API handlers over it, and its event stream.
//
// This is the seam for the night scheduler: a host that runs one (the desktop app's transport-neutral
// host) replaces `createServeHost` and passes its own session control to `createEngineApi`, so that
// `session:start`/`session:stop` go through the scheduler and the night starts by itself.
import type { ChannelHandlers } from '../../src-shared/api/dispatch';
import type { EventName } from '../../src-shared/api/names';
import type { Config } from '../../src-shared/config/schema';
import { createEngineApi } from '../engine/api/create-engine-api';
import { productVersion } from '../engine/api/product-version';
import { createEngine } from '../engine/engine';
import type { Engine } from '../engine/engine';
import type { LogLevel } from '../engine/log/logger';

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
  const engine = createEngine({
    home: options.home,
    config: options.config,
    env: options.env,
    cwd: options.cwd,
    console: options.console,
    watchIntervalMs: options.watchIntervalMs ?? 500,
  });
  await engine.start();
  const handlers = createEngineApi(engine, { host: 'server', version: productVersion() });
  return {
    engine,
    handlers,
    subscribe: (listener) => engine.events.onAny((event, payload) => listener(event, payload)),
    async close() {
      await engine.stop();
    },
  };
}
