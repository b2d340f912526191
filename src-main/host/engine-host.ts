// The engine host (DESIGN §8b "Hosts"): one engine, its night scheduler and the state every face
// shows, behind no transport at all. The Electron main process, `nocturnal serve`, `nocturnal run`
// and the tests start the same host; each adds only its transport (IPC, HTTP, a terminal) and its
// ports (real notifications, the power-save blocker). It owns start-up recovery (what a killed
// process left behind is cleaned before anything runs) and an orderly stop (the running task
// finishes). No Electron here: the lint rules keep it that way.
import type { NightModeState } from '../../src-shared/api/channels';
import type { Config } from '../../src-shared/config/schema';
import type { EventPayload } from '../../src-shared/api/events';
import type { EventName } from '../../src-shared/api/names';
import type { EngineStatus } from '../../src-shared/domain/app-state';
import type { Session } from '../../src-shared/domain/records';
import { isInWindow, minuteOfDayInZone, nightWindow } from '../../src-shared/night-window';
import { loadConfig, setConfigValue } from '../engine/config/config-file';
import { envVariableName } from '../engine/config/env-overrides';
import { createEngine } from '../engine/engine';
import type { Engine, EngineOptions } from '../engine/engine';
import { NocturnalError } from '../engine/errors/nocturnal-error';
import type { Logger } from '../engine/log/logger';
import { headlessPorts } from '../engine/ports';
import type { EngineNotification, EnginePorts } from '../engine/ports';
import { NightScheduler } from '../engine/scheduler/night-scheduler';
import type { ManualRunOptions, NightSchedulerDeps, SchedulerState } from '../engine/scheduler/night-scheduler';
import type { RecoveryResult, SessionProgress } from '../engine/scheduler/session-runner';

export type HostKind = 'electron' | 'server' | 'cli';

/**
 * What the tray, `status:get` and the terminal show: the contract's engine status (read from the
 * engine and the scheduler each time, never a cached copy) plus the scheduler's own words.
 */
export interface HostSnapshot {
  status: EngineStatus;
  scheduler: SchedulerState;
}

export type HostEvent =
  | { type: 'state'; snapshot: HostSnapshot }
  | { type: 'progress'; progress: SessionProgress }
  | { type: 'notification'; notification: EngineNotification };

export type ContractEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

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
}

export interface EngineHost {
  readonly kind: HostKind;
  readonly home: string;
  readonly engine: Engine;
  readonly scheduler: NightScheduler;
  /** What start-up recovery cleaned (null when another live process held the engine lock). */
  readonly recovered: RecoveryResult | null;
  snapshot(): HostSnapshot;
  /** The host's clock (the clock port). */
  now(): Date;
  /** config.yaml plus environment overrides as they are now (throws ConfigError when invalid). */
  config(): Config;
  /**
   * The same happenings as contract events (`status:changed`, `session:progress`,
   * `nightMode:changed`), validated by whichever transport sends them.
   */
  onContractEvent(listener: ContractEventListener): () => void;
  /** Every state change, session progress and notification, for whatever transport relays them. */
  on(listener: (event: HostEvent) => void): () => void;
  /** "Run now". */
  runNow(options?: ManualRunOptions): Promise<Session>;
  /** "Stop after this task"; false when nothing runs. */
  stopAfterCurrentTask(): boolean;
  /** Writes `scheduler.night_mode` (comments kept) and lets the scheduler look again at once. */
  setNightMode(enabled: boolean): NightModeState;
  /** "Free model memory"; false when no model was loaded. */
  freeModelMemory(): Promise<boolean>;
  /** Something changed outside the host (an API call, the CLI): publish fresh state, look again. */
  refresh(): void;
  /** Stops the scheduler (the running task finishes), then the engine. */
  close(): Promise<void>;
}

export function nightModeOf(config: Config): NightModeState {
  const { night_mode, start_time, end_time, timezone } = config.scheduler;
  return { enabled: night_mode, window: { startTime: start_time, endTime: end_time, timezone } };
}

export async function startEngineHost(options: EngineHostOptions): Promise<EngineHost> {
  const { home, env } = options;
  const readConfig = () => loadConfig({ home, env });
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log.error({ err: String(error) }, 'a host event listener failed');
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
  const engine = createEngine({
    home,
    config: readConfig(),
    env,
    ports,
    ...(options.console ? { console: options.console } : {}),
    ...(options.resourceSampler ? { resourceSampler: options.resourceSampler } : {}),
  });
  const log: Logger = engine.logger('host');
  await engine.start();

  let recovered: RecoveryResult | null = null;
  try {
    recovered = await engine.recoverInterrupted();
    if (recovered.attempts.length > 0 || recovered.sessions.length > 0) log.warn({ ...recovered }, 'recovered what a stopped process left behind');
  } catch (error) {
    // Another live engine (a CLI `run`) holds the lock: it recovers for itself; this host waits.
    log.warn({ err: String(error) }, 'start-up recovery skipped');
  }

  let lastPublished = '';
  const snapshot = (): HostSnapshot => {
    const config = readConfigOr(engine.config);
    const state = scheduler.state();
    const base = engine.status();
    const latest = engine.store.sessions.latest() ?? null;
    const session = latest?.status === 'running' ? latest : null;
    const window = nightWindow(config.scheduler.start_time, config.scheduler.end_time);
    return {
      scheduler: state,
      status: {
        home: base.home,
        nightMode: nightModeOf(config),
        windowOpen: isInWindow(window, minuteOfDayInZone(ports.now(), config.scheduler.timezone)),
        nextStart: state.nextStart?.toISOString() ?? null,
        running: base.running,
        session,
        stopping: state.stopRequested,
        queue: base.queue,
        waitingReviews: engine.store.attempts.withStatus('review').length,
        lastSession: session ? (engine.store.sessions.list(2)[1] ?? null) : latest,
        provider: config.llm.provider,
        model: base.model,
        modelLoaded: engine.modelLoaded(),
      },
    };
  };
  const publishState = () => {
    const current = snapshot();
    const key = JSON.stringify(current);
    // The scheduler looks around every check interval; only real changes go out.
    if (key === lastPublished) return;
    lastPublished = key;
    emit({ type: 'state', snapshot: current });
  };
  const readConfigOr = (fallback: Config): Config => {
    try {
      return readConfig();
    } catch {
      return fallback;
    }
  };

  const scheduler = new NightScheduler({
    now: ports.now,
    setTimer: ports.setTimer,
    settings: () => readConfig().scheduler,
    queued: () => engine.store.tasks.queue().length,
    runSession: (run) => engine.runSession(run),
    log: engine.logger('scheduler'),
    ...(options.nightLimits ? { nightLimits: options.nightLimits } : {}),
    onProgress: (progress) => {
      emit({ type: 'progress', progress });
      if (progress.type === 'task-finished' || progress.type === 'session-started' || progress.type === 'session-ended') publishState();
    },
    onState: () => publishState(),
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
    snapshot,
    now: () => ports.now(),
    config: readConfig,
    onContractEvent(listener) {
      let nightMode = JSON.stringify(snapshot().status.nightMode);
      const forward = (event: HostEvent) => {
        if (event.type === 'progress') listener('session:progress', event.progress);
        if (event.type !== 'state') return;
        listener('status:changed', event.snapshot.status);
        const next = JSON.stringify(event.snapshot.status.nightMode);
        if (next !== nightMode) {
          nightMode = next;
          listener('nightMode:changed', event.snapshot.status.nightMode);
        }
      };
      listeners.add(forward);
      return () => listeners.delete(forward);
    },
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
      // An environment override would win over the file: writing it would change nothing the user
      // can see, so refuse and say which variable to unset.
      const variable = envVariableName('scheduler', 'night_mode');
      if (env[variable] !== undefined) {
        throw new NocturnalError('conflict', `night mode is set by the environment variable ${variable}=${env[variable]}; unset it to switch night mode here`);
      }
      setConfigValue(home, ['scheduler', 'night_mode'], enabled);
      scheduler.poke();
      publishState();
      return nightModeOf(readConfig());
    },
    async freeModelMemory() {
      const freed = await engine.releaseModel();
      publishState();
      return freed;
    },
    refresh() {
      scheduler.poke();
      publishState();
    },
    async close() {
      if (closed) return;
      closed = true;
      await scheduler.stop();
      listeners.clear();
      await engine.stop();
    },
  };
}
