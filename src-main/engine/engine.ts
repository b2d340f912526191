// The composition root (DESIGN §4): builds the components in dependency order —
// config → logger → store → cost ledger → llm → workspaces/git → safety → agents → quality →
// scheduler → reporter — and hands each its dependencies. No module-level singletons: two engines in
// one process (tests) share nothing.
//
// The config is held by the config store and read when it is used: what a session needs is built from
// the config as it is when the session starts, so a change made while the engine runs (the settings
// window, the CLI, a text editor) applies from the next session on. Everything a face shows live goes
// out through one event stream, `events`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src-shared/config/schema';
import { nightModeOf } from '../../src-shared/domain/app-state';
import type { EngineStatus } from '../../src-shared/domain/app-state';
import type { Session } from '../../src-shared/domain/records';
import { minuteOfDayInZone, isInWindow, nextWindowChange, nightWindow } from '../../src-shared/night-window';
import { ConfigStore } from './config/config-store';
import { homePaths } from './config/home';
import type { HomePaths } from './config/home';
import { BudgetGuard } from './cost/budget-guard';
import { budgetStatus, sessionBudgetAlerts } from './cost/budget-status';
import { CostLedger } from './cost/cost-ledger';
import { createLlmProvider } from './llm/create-provider';
import { describeSizing } from './llm/context-sizing';
import { resolveModelFile } from './llm/resolve-model-file';
import { NocturnalError } from './errors/nocturnal-error';
import { sessionNotifications } from './notifications/session-notifications';
import { EngineEvents } from './events/engine-events';
import { StoreChanges } from './events/store-changes';
import type { LlmProvider } from './llm/provider';
import { createHomeLogRoot } from './log/home-log-root';
import { setupChecklist } from './setup/setup-checklist';
import { planFromStore } from './scheduler/planner/plan-from-store';
import type { Logger, LogLevel, LogRoot } from './log/logger';
import { headlessPorts } from './ports';
import type { EnginePorts } from './ports';
import { SandboxedCheckRunner } from './quality/sandboxed-check-runner';
import { createSandboxDetector } from './safety/sandbox/detect-sandbox';
import { DependencyService } from './deps/dependency-service';
import { createGitCommandPolicy } from './safety/git-command-policy';
import { ResourceGate } from './safety/resources/resource-gate';
import type { ResourceSampler } from './safety/resources/resource-sampler';
import { createBackgroundSampler } from './safety/resources/background-sampler';
import { createSystemSampler } from './safety/resources/system-sampler';
import type { GitCallOptions } from './git/run-git';
import { checkGitVersionRecorded } from './git/git-version-record';
import { buildSessionReport } from './report/session-report';
import type { SessionReport } from './report/session-report';
import { ReviewService } from './review/review-service';
import { ModelManager } from './models/model-manager';
import { KnowledgeVault } from './knowledge/knowledge-vault';
import type { RecoveryResult, RunSessionOptions } from './scheduler/session-runner';
import { homeWriteProblem } from './config/home-access';
import { readLockOwner } from './store/engine-lock';
import { openStore } from './store/store';
import { configuredSecrets, createRedactor } from './log/redact';
import type { Store } from './store/store';
import { TaskService } from './tasks/task-service';
import { WorkspaceService } from './workspaces/workspace-service';

export interface EngineOptions {
  home: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Relative paths a user types (`model use ./file.gguf`) are relative to this; default process.cwd(). */
  cwd?: string;
  /** Readable log output (the CLI's stderr); files under <home>/logs are always written. */
  console?: { stream: NodeJS.WritableStream; level: LogLevel };
  ports?: Partial<EnginePorts>;
  /** Where resource readings come from; the real machine unless a test injects one. */
  resourceSampler?: ResourceSampler;
  /**
   * Hosts that stay up (the app, `serve`) watch config.yaml and the database for changes other
   * processes make and publish them; one-shot CLI commands do not. Milliseconds between looks.
   */
  watchIntervalMs?: number;
}

export type { EngineStatus };

export interface StartSessionOptions {
  maxTasks?: number | undefined;
  until?: Date | undefined;
  trigger?: RunSessionOptions['trigger'];
}

export interface Engine {
  readonly home: string;
  readonly paths: HomePaths;
  /** The engine's clock (the host's `ports.now`). */
  readonly now: () => Date;
  /** Options every git call of the engine passes (the command policy, the git logger). */
  readonly git: GitCallOptions;
  /** The config as it is now (see `configStore` to change it). */
  readonly config: Config;
  readonly configStore: ConfigStore;
  /** The one event stream: progress, task/review/config/night-mode changes, model downloads, status. */
  readonly events: EngineEvents;
  readonly store: Store;
  readonly workspaces: WorkspaceService;
  readonly tasks: TaskService;
  readonly review: ReviewService;
  /** Catalog, downloads with progress, and the model in use (for the CLI and the desktop model manager). */
  readonly models: ModelManager;
  /** Set when the home cannot be written: read commands work from a copy of the database, nothing else. */
  readonly readOnly: { reason: string } | null;
  /** Runs one session to its end (the CLI's `run`, the night scheduler). */
  runSession(options: RunSessionOptions): Promise<Session>;
  /** Starts a session and answers once it has begun; it runs on, reporting through `events`. */
  startSession(options: StartSessionOptions): Promise<Session>;
  /** Asks the session this engine runs to stop after its current task. */
  stopSession(): { stopping: boolean; sessionId: string | null };
  /** Unloads the model now; refused while a session uses it. Answers whether one was loaded. */
  releaseModel(): Promise<boolean>;
  /**
   * Cleans up after a process that died mid-session (as a session does when it starts): interrupted
   * attempts marked, their worktrees removed, their tasks queued again. Needs the engine lock.
   */
  recoverInterrupted(): Promise<RecoveryResult>;
  report(sessionId?: string): SessionReport;
  status(): EngineStatus;
  /** Publishes what changed in the database since the last look (other processes included). */
  checkForChanges(): void;
  logger(subsystem: string): Logger;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const config = options.config;
  const ports = headlessPorts(options.ports);
  const now = ports.now;
  const paths = homePaths(options.home);
  const writeProblem = homeWriteProblem(paths);
  const readOnly = writeProblem === null ? null : { reason: writeProblem };

  // The configured API key's value is masked wherever text is logged or stored (DESIGN §7).
  const redactor = createRedactor(configuredSecrets(config.llm, options.env));
  const logs: LogRoot = createHomeLogRoot({
    redactor,
    logsDir: readOnly ? null : paths.logs,
    level: config.logging.level,
    retentionDays: config.logging.retention_days,
    ...(options.console ? { console: { stream: options.console.stream, level: options.console.level } } : {}),
  });
  const store = openStore(paths.database, { ...(readOnly ? { readOnly } : {}), redactor });
  const events = new EngineEvents({ timeline: store.events, now, log: logs.createLogger('events') });
  const configStore = new ConfigStore({
    home: paths.home,
    env: options.env,
    initial: config,
    events,
    log: logs.createLogger('config'),
  });
  const current = () => configStore.get();
  const budgetFor = (settings: Config) => {
    const ledger = new CostLedger(store, settings.cost, now);
    const budget = new BudgetGuard(store, ledger, settings.cost, now, (alert) => {
      if (settings.notifications.enabled && settings.notifications.budget_alerts) {
        ports.notify({
          kind: 'budget_alerts',
          title: 'Nocturnal Agent budget',
          body: `${Math.round(alert.threshold * 100)}% of this month's $${alert.budgetUsd.toFixed(2)} budget is spent`,
        });
      }
    });
    return { ledger, budget };
  };

  // The model is loaded lazily, when a session first needs it, and released when the session ends.
  let provider: LlmProvider | undefined;
  // Load progress goes to whoever runs the current session (the CLI's progress lines, the tray).
  let loadListener: ((progress: number) => void) | undefined;
  const llmLog = logs.createLogger('llm');
  // Parallel attempts ask for the model at the same moment: they share one load, not one each.
  let providerStarting: Promise<LlmProvider> | undefined;
  const getProvider = async (): Promise<LlmProvider> => {
    if (provider) return provider;
    providerStarting ??= (async () => {
      const settings = current();
      const created = await createLlmProvider(settings.llm, {
        log: llmLog,
        modelsDir: paths.models,
        env: options.env,
        sequences: settings.parallel.max_parallel_attempts,
        onLoadProgress: (progress) => loadListener?.(progress),
      });
      await created.start();
      provider = created;
      scheduleStatus();
      return created;
    })().finally(() => {
      providerStarting = undefined;
    });
    return providerStarting;
  };
  const releaseProvider = async () => {
    const loaded = provider;
    provider = undefined;
    await loaded?.stop();
    if (loaded) scheduleStatus();
    return loaded !== undefined;
  };

  // Every git process the engine spawns passes the command policy first; a changed deny list applies
  // to the next git call.
  const git: GitCallOptions = {
    policy: createGitCommandPolicy(config.safety.blocked_commands),
    logger: logs.createLogger('git'),
  };
  events.on('config:changed', ({ config: next }) => {
    git.policy = createGitCommandPolicy(next.safety.blocked_commands);
  });
  const knowledge = new KnowledgeVault({
    redactor,
    enabled: config.knowledge.enabled,
    root: config.knowledge.vault_path === null ? paths.vault : path.resolve(paths.home, config.knowledge.vault_path),
  });
  // Hidden from checks: the engine's home (database, config, other worktrees) and the user's home as
  // this process sees it (the sandbox always hides the OS home directory as well).
  const hidden = [paths.home, ...(options.env['HOME'] ? [options.env['HOME']] : [])];
  const sandboxDetector = createSandboxDetector();
  const checksFor = (settings: Config) =>
    new SandboxedCheckRunner(settings.safety, hidden, logs.createLogger('safety'), git, sandboxDetector);
  const dependencies = new DependencyService({
    paths,
    store,
    safety: config.safety,
    git,
    log: logs.createLogger('deps'),
    now,
  });
  const workspaces = new WorkspaceService(
    store,
    now,
    git,
    knowledge,
    {
      git,
      worktrees: paths.worktrees,
      // The baseline run (workspace add / check) judges with the safety settings of the moment.
      checks: { run: (input) => checksFor(current()).run(input) },
      dependencies,
      userHome: options.env['HOME'] ?? os.homedir(),
      path: options.env['PATH'] ?? '',
    },
    config.safety.blocked_commands,
  );
  const tasks = new TaskService(store, workspaces, now);
  const review = new ReviewService(store, now, git);
  const changes = new StoreChanges({
    store,
    events,
    log: logs.createLogger('events'),
    reviewItems: () => review.list(),
  });
  // Read in the background while a session runs (every 2 s), so the gate before each task answers at once.
  const sampler = options.resourceSampler ?? createBackgroundSampler({ inner: createSystemSampler() });
  /** What one session runs with: built from the config as it is when the session starts. */
  const sessionRunner = async (settings: Config) => {
    // The scheduler and the agents load with the first session (or recovery): the CLI's read commands
    // open an engine too, and never parse them.
    const [{ SessionRunner }, { ModelCaller }] = await Promise.all([
      import('./scheduler/session-runner'),
      import('./agents/model-caller'),
    ]);
    const { ledger, budget } = budgetFor(settings);
    return new SessionRunner({
      config: settings,
      paths,
      store,
      events,
      git,
      log: logs.createLogger('scheduler'),
      now,
      model: () =>
        new ModelCaller(
          getProvider,
          {
            maxTokens: settings.llm.max_tokens,
            temperature: settings.llm.temperature,
            timeoutMs: settings.llm.timeout_s * 1000,
          },
          store,
          ledger,
          budget,
          logs.createLogger('agents'),
          now,
        ),
      checks: checksFor(settings),
      dependencies,
      knowledge,
      releaseSessionResources: async () => {
        await releaseProvider();
      },
      resourceGate: () =>
        new ResourceGate({
          safety: settings.safety,
          sampler,
          diskPaths: [paths.home, ...store.workspaces.list().map((w) => w.path)],
          log: logs.createLogger('resources'),
        }),
    });
  };

  // The session this engine runs, if any: what `session:stop` and the status line act on.
  let running:
    { abort: AbortController; session: Session | null; stopping: boolean; finished: Promise<void> } | undefined;

  // Status is derived, never stored: recomputed shortly after anything it shows may have changed and
  // published only when it differs from what went out last.
  let statusTimer: NodeJS.Timeout | undefined;
  let lastStatus = '';
  function scheduleStatus(): void {
    if (statusTimer || !store.db.open) return;
    statusTimer = setTimeout(() => {
      statusTimer = undefined;
      if (!store.db.open) return;
      // Nobody to tell (a CLI `run`, a bench): status reads the lock, the sessions, the queue, the
      // budget and the plan, ~5 ms twice per attempt, for no one. Forgetting what went out last makes
      // the first recompute after a face subscribes publish, whatever it says.
      if (!events.hasConsumers('status:changed')) {
        lastStatus = '';
        return;
      }
      const next = status();
      const key = JSON.stringify(next);
      if (key === lastStatus) return;
      lastStatus = key;
      events.publish('status:changed', next);
    }, 50);
    statusTimer.unref();
  }
  events.observe((event, payload) => {
    if (event === 'status:changed') return;
    // Download progress is not status; a finished download is (the setup's model step may be done now).
    if (event === 'models:progress' && (payload as { state: string }).state !== 'done') return;
    if (event === 'session:progress') {
      const type = (payload as { type: string }).type;
      if (type === 'attempt' || type === 'model-loading') return;
      // A finished task changed rows: tell the faces now rather than at the next look.
      if (type === 'task-finished' || type === 'session-ended') changes.check();
    }
    scheduleStatus();
  });

  const models = new ModelManager({
    home: paths.home,
    env: options.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    log: logs.createLogger('models'),
    writeConfig: (fieldPath, value) => configStore.write(fieldPath, value),
  });

  async function runSession(runOptions: RunSessionOptions): Promise<Session> {
    assertModelConfigured();
    if (running)
      throw new NocturnalError(
        'conflict',
        `a session is already running in this process (${running.session?.id ?? 'starting'}); stop it first or wait for it to end`,
      );
    const abort = new AbortController();
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const state: { abort: AbortController; session: Session | null; stopping: boolean; finished: Promise<void> } = {
      abort,
      session: null,
      stopping: false,
      finished,
    };
    running = state;
    const forwardAbort = () => {
      state.stopping = true;
      abort.abort();
      scheduleStatus();
    };
    runOptions.signal?.addEventListener('abort', forwardAbort, { once: true });
    if (runOptions.signal?.aborted) abort.abort();
    const unsubscribe = events.on('session:progress', (progress) => {
      if (progress.type === 'session-started') state.session = progress.session;
      runOptions.onProgress?.(progress);
    });
    const release = ports.preventSleep('Nocturnal Agent is working through the night queue');
    loadListener = (progress) => events.progress({ type: 'model-loading', progress });
    try {
      const session = await (
        await sessionRunner(current())
      ).run({
        ...runOptions,
        signal: abort.signal,
        onProgress: undefined,
      });
      notifySessionEnd(session);
      return session;
    } finally {
      loadListener = undefined;
      unsubscribe();
      runOptions.signal?.removeEventListener('abort', forwardAbort);
      running = undefined;
      finish();
      release();
      changes.check();
      scheduleStatus();
    }
  }

  function status(): EngineStatus {
    const settings = current();
    const owner = readLockOwner(paths.lock);
    const window = nightWindow(settings.scheduler.start_time, settings.scheduler.end_time);
    const minuteOfDay = minuteOfDayInZone(now(), settings.scheduler.timezone);
    const windowOpen = isInWindow(window, minuteOfDay);
    // The real instant (DST nights included), not wall-clock minutes added to now.
    const nextStart = windowOpen
      ? null
      : (nextWindowChange(window, now(), settings.scheduler.timezone)?.toISOString() ?? null);
    const sessions = store.sessions.list(20);
    const inProgress = sessions.find((s) => s.status === 'running') ?? null;
    return {
      home: paths.home,
      nightMode: nightModeOf(settings),
      windowOpen,
      nextStart,
      running: owner ? { pid: owner.pid, purpose: owner.purpose, since: owner.startedAt } : null,
      // A `running` row without a live lock holder is what a crash left; it is not shown as running.
      session: owner ? inProgress : null,
      stopping: running?.stopping ?? false,
      queue: store.tasks.countsByStatus(),
      waitingReviews: store.attempts.countWithStatus('review'),
      lastSession: sessions[0] ?? null,
      provider: settings.llm.provider,
      model: settings.llm.provider === 'llama' ? settings.llm.model_path : settings.llm.model,
      modelLoaded: provider !== undefined,
      contextSizing: describeSizing(settings.llm, provider?.sizingNow),
      setupFailures: store.workspaces
        .list()
        .filter((w) => w.setupStatus?.state === 'failed')
        .map((w) => ({ workspace: w.name, message: w.setupStatus?.message ?? 'setup failed' })),
      setup: setupChecklist({
        config: settings,
        modelsDir: paths.models,
        workspaceCount: store.workspaces.list().length,
      }),
      budget: budgetStatus(store, settings.cost, now),
      plan: planFromStore(store, settings, now()),
    };
  }

  return {
    home: paths.home,
    paths,
    now,
    git,
    get config() {
      return current();
    },
    configStore,
    events,
    store,
    workspaces,
    tasks,
    review,
    models,
    readOnly,
    runSession,
    startSession(start) {
      return new Promise<Session>((resolve, reject) => {
        let settled = false;
        const unsubscribe = events.on('session:progress', (progress) => {
          if (progress.type !== 'session-started' || settled) return;
          settled = true;
          unsubscribe();
          resolve(progress.session);
        });
        runSession({ trigger: start.trigger ?? 'manual', maxTasks: start.maxTasks, until: start.until }).then(
          () => undefined,
          (error: unknown) => {
            unsubscribe();
            if (!settled) {
              settled = true;
              reject(error instanceof Error ? error : new Error(String(error)));
            } else
              logs
                .createLogger('engine')
                .error({ err: error instanceof Error ? error.message : String(error) }, 'the session failed');
          },
        );
      });
    },
    stopSession() {
      if (!running) return { stopping: false, sessionId: null };
      running.stopping = true;
      running.abort.abort();
      scheduleStatus();
      return { stopping: true, sessionId: running.session?.id ?? null };
    },
    recoverInterrupted: async () => (await sessionRunner(current())).recover(),
    async releaseModel() {
      if (running)
        throw new NocturnalError(
          'conflict',
          'a session is using the model; stop it (or wait for it to end) before freeing model memory',
        );
      return releaseProvider();
    },
    report: (sessionId) => {
      const report = buildSessionReport(store, { sessionId, freeToolTargetRate: current().cost.free_tool_target_rate });
      return { ...report, budgetAlerts: sessionBudgetAlerts(store, current().cost, report.session.id) };
    },
    status,
    checkForChanges: () => {
      changes.check();
    },
    logger: (subsystem) => logs.createLogger(subsystem),
    async start() {
      // An old git would fail in the middle of a night with an odd usage error: refuse up front. The
      // same git as last time (same file on PATH) is not asked again: see git-version-record.
      const version = await checkGitVersionRecorded(paths.home, paths.gitVersion, git);
      if (!version.ok) {
        throw new NocturnalError(
          'runtime',
          `${version.reason} (merges use \`git merge-tree --write-tree\`, new in git 2.38). Install a newer git, or put it first on PATH.`,
        );
      }
      if (options.watchIntervalMs !== undefined) {
        configStore.watch();
        changes.watch(options.watchIntervalMs);
      }
      logs.createLogger('engine').debug({ home: paths.home }, 'engine started');
    },
    async stop() {
      // A session this engine runs stops after its current task; the store closes after it.
      if (running) {
        running.stopping = true;
        running.abort.abort();
        await running.finished;
      }
      configStore.stop();
      changes.stop();
      if (statusTimer) clearTimeout(statusTimer);
      statusTimer = undefined;
      await releaseProvider();
      store.close();
      await logs.close();
    },
  };

  /**
   * A missing model is a configuration error, not something each task should fail on: refuse the run
   * before any task is touched. (An unreachable server may come back, so that stays per task.)
   */
  function assertModelConfigured(): void {
    const config = current();
    if (config.llm.provider !== 'llama') return;
    if (config.llm.model_path === null) {
      throw new NocturnalError(
        'validation',
        'llm.model_path is not set: choose a model with `nocturnal model use NAME_OR_PATH` (see `nocturnal model list`), or set llm.provider to openai for a server such as LM Studio',
      );
    }
    const file = resolveModelFile(config.llm.model_path, paths.models);
    if (!fs.existsSync(file)) {
      throw new NocturnalError(
        'validation',
        `llm.model_path: ${file} does not exist; pull it with \`nocturnal model pull\` or point llm.model_path at a GGUF file`,
      );
    }
  }

  function notifySessionEnd(session: Session): void {
    for (const notification of sessionNotifications(session, current().notifications)) ports.notify(notification);
  }
}
