// The engine host (DESIGN §8b "Hosts"): one engine, its API (createEngineApi, with session control
// handed to the night scheduler so a session never starts behind its back), the scheduler, and the
// engine's one event stream, behind no transport at all. The Electron main process, `nocturnal
// serve`, `nocturnal run` and the tests start the same host; each adds only its transport (IPC,
// HTTP, a terminal) and its ports (real notifications, the power-save blocker). It owns start-up
// recovery (what a killed process left behind is cleaned before anything runs) and an orderly stop
// (the running task finishes). No Electron here: the lint rules keep it that way.
import type { ChannelHandlers } from '../../src-shared/api/dispatch';
import type { EngineStatus, NightModeState } from '../../src-shared/domain/app-state';
import { nightModeOf } from '../../src-shared/domain/app-state';
import type { Config } from '../../src-shared/config/schema';
import type { Session } from '../../src-shared/domain/records';
import { createEngineApi } from '../engine/api/create-engine-api';
import { productVersion } from '../engine/api/product-version';
import { loadConfig } from '../engine/config/config-file';
import { createEngine } from '../engine/engine';
import type { Engine, EngineOptions } from '../engine/engine';
import type { AnyEventListener } from '../engine/events/engine-events';
import { headlessPorts } from '../engine/ports';
import type { EngineNotification, EnginePorts } from '../engine/ports';
import { NightScheduler } from '../engine/scheduler/night-scheduler';
import type { ManualRunOptions, NightSchedulerDeps, SchedulerState } from '../engine/scheduler/night-scheduler';
import type { RecoveryResult, SessionProgress } from '../engine/scheduler/session-runner';

export type HostKind = 'electron' | 'server' | 'cli';

/**
 * What the tray, `status:get` and the terminal show: the contract's engine status (derived by the
 * engine each time, never a cached copy) plus the scheduler's own words.
 */
export interface HostSnapshot {
  status: EngineStatus;
  scheduler: SchedulerState;
}

export type HostEvent =
  | { type: 'state'; snapshot: HostSnapshot }
  | { type: 'progress'; progress: SessionProgress }
  | { type: 'notification'; notification: EngineNotification };

export interface EngineHostOptions {
  home: string;
  env: NodeJS.ProcessEnv;
  kind: HostKind;
  /** The host's own ports (Electron: Notification, powerSaveBlocker); the rest stay headless. */
  ports?: Partial<EnginePorts>;
  console?: EngineOptions['console'];
  /** Whether the night scheduler runs (default yes; `run --now` style hosts turn it off). */
  schedule?: boolean;
  resourceSampler?: EngineOptions['resourceSampler'];
  /** Limits for each night session (`nocturnal run --max-tasks/--until`). */
  nightLimits?: NightSchedulerDeps['nightLimits'];
  /** How often other processes' database changes are looked for (default 1 s). */
  watchIntervalMs?: number;
  /** Relative paths a user types are relative to this (default process.cwd()). */
  cwd?: string;
}

export interface EngineHost {
  readonly kind: HostKind;
  readonly home: string;
  readonly engine: Engine;
  readonly scheduler: NightScheduler;
  /** What start-up recovery cleaned (null when another live process held the engine lock). */
  readonly recovered: RecoveryResult | null;
  /** Every channel of the contract, for whatever transport answers them. */
  readonly handlers: ChannelHandlers;
  snapshot(): HostSnapshot;
  /** The host's clock (the clock port). */
  now(): Date;
  /** config.yaml plus environment overrides as they are now (throws ConfigError when invalid). */
  config(): Config;
  /** The engine's event stream (every contract event), for whatever transport relays them. */
  onContractEvent(listener: AnyEventListener): () => void;
  /** Every state change, session progress and notification, for whatever transport relays them. */
  on(listener: (event: HostEvent) => void): () => void;
  /** "Run now". */
  runNow(options?: ManualRunOptions): Promise<Session>;
  /** "Stop after this task"; false when nothing runs. */
  stopAfterCurrentTask(): boolean;
  /** Writes `scheduler.night_mode` through the config writer; the scheduler looks again at once. */
  setNightMode(enabled: boolean): NightModeState;
  /** "Free model memory"; false when no model was loaded. */
  freeModelMemory(): Promise<boolean>;
  /** Something changed outside the host (an API call, the CLI): publish fresh state, look again. */
  refresh(): void;
  /** Stops the scheduler (the running task finishes), then the engine. */
  close(): Promise<void>;
}

export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const { home, env } = options;
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        engine.logger('host').error({ err: String(error) }, 'a host event listener failed');
      }
    }
  };
  const given = headlessPorts(options.ports);
  const ports: EnginePorts = {
    ...given,
    notify(notification) {
      emit({ type: 'notification', notification });
      given.notify(notification);
    },
  };

  // The config is validated before anything opens: a broken config.yaml is the user's to fix.
  const engine: Engine = createEngine({
    home,
    config: loadConfig({ home, env }),
    env,
    ports,
    watchIntervalMs: options.watchIntervalMs ?? 1000,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    ...(options.console ? { console: options.console } : {}),
    ...(options.resourceSampler ? { resourceSampler: options.resourceSampler } : {}),
  });
  const log = engine.logger('host');
  await engine.start();

  let recovered: RecoveryResult | null = null;
  try {
    recovered = await engine.recoverInterrupted();
    if (recovered.attempts.length > 0 || recovered.sessions.length > 0)
      log.warn({ ...recovered }, 'recovered what a stopped process left behind');
  } catch (error) {
    // Another live engine (a CLI `run`) holds the lock: it recovers for itself; this host waits.
    log.warn({ err: String(error) }, 'start-up recovery skipped');
  }

  let lastPublished = '';
  const snapshot = (): HostSnapshot => ({ status: engine.status(), scheduler: scheduler.state() });
  const publishState = () => {
    const current = snapshot();
    const key = JSON.stringify(current);
    // The scheduler looks around every check interval; only real changes go out.
    if (key === lastPublished) return;
    lastPublished = key;
    emit({ type: 'state', snapshot: current });
  };

  const scheduler = new NightScheduler({
    now: ports.now,
    setTimer: ports.setTimer,
    settings: () => {
      // Each look around reads config.yaml again (the file watcher may miss edits on some file
      // systems); an invalid file throws here and the scheduler says so instead of guessing.
      engine.configStore.reload('external');
      return engine.config.scheduler;
    },
    queued: () => engine.store.tasks.countsByStatus().queued,
    runSession: (run) => engine.runSession(run),
    log: engine.logger('scheduler'),
    ...(options.nightLimits ? { nightLimits: options.nightLimits } : {}),
    onProgress: (progress) => {
      emit({ type: 'progress', progress });
      if (progress.type === 'task-finished' || progress.type === 'session-started' || progress.type === 'session-ended')
        publishState();
    },
    onState: () => publishState(),
  });
  const unsubscribe = [
    // A change from anywhere (this host's API, the CLI, an editor) lets the scheduler look again now.
    engine.events.on('config:changed', () => scheduler.poke()),
    engine.events.on('task:changed', () => scheduler.poke()),
    engine.events.on('status:changed', () => publishState()),
  ];

  const handlers = createEngineApi(engine, {
    host: options.kind,
    version: productVersion(),
    sessions: {
      start: (run) => startThroughScheduler(engine, scheduler, run),
      stop: () => ({ sessionId: engine.status().session?.id ?? null, stopping: scheduler.stopAfterCurrentTask() }),
    },
  });

  if (options.schedule !== false) scheduler.start();
  publishState();

  let closed = false;
  return {
    kind: options.kind,
    home: engine.home,
    engine,
    scheduler,
    recovered,
    handlers,
    snapshot,
    now: () => ports.now(),
    config: () => engine.config,
    onContractEvent: (listener) => engine.events.onAny(listener),
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async runNow(run) {
      const session = scheduler.runNow(run);
      publishState();
      return session;
    },
    stopAfterCurrentTask: () => scheduler.stopAfterCurrentTask(),
    setNightMode(enabled) {
      const state = nightModeOf(engine.configStore.set('scheduler.night_mode', enabled));
      scheduler.poke();
      publishState();
      return state;
    },
    async freeModelMemory() {
      const freed = await engine.releaseModel();
      publishState();
      return freed;
    },
    refresh() {
      engine.checkForChanges();
      scheduler.poke();
      publishState();
    },
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      for (const off of unsubscribe) off();
      listeners.clear();
      await engine.stop();
    },
  };
}

/** `session:start` answers once the session has begun (like the engine's own), but through the scheduler. */
function startThroughScheduler(engine: Engine, scheduler: NightScheduler, run: ManualRunOptions): Promise<Session> {
  return new Promise<Session>((resolve, reject) => {
    let settled = false;
    const off = engine.events.on('session:progress', (progress) => {
      if (progress.type !== 'session-started' || settled) return;
      settled = true;
      off();
      resolve(progress.session);
    });
    const fail = (error: unknown) => {
      off();
      if (settled) return;
      settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    try {
      scheduler.runNow(run).catch(fail);
    } catch (error) {
      fail(error);
    }
  });
}
