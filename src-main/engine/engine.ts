// The composition root (DESIGN §4): builds the components in dependency order —
// config → logger → store → cost ledger → llm → workspaces/git → safety → agents → quality →
// scheduler → reporter — and hands each its dependencies. No module-level singletons: two engines in
// one process (tests) share nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../src-shared/config/schema';
import type { Session } from '../../src-shared/domain/records';
import type { TaskStatus } from '../../src-shared/domain/task';
import { ModelCaller } from './agents/model-caller';
import { homePaths } from './config/home';
import type { HomePaths } from './config/home';
import { BudgetGuard } from './cost/budget-guard';
import { CostLedger } from './cost/cost-ledger';
import { createLlmProvider } from './llm/create-provider';
import { resolveModelFile } from './llm/resolve-model-file';
import { NocturnalError } from './errors/nocturnal-error';
import { sessionNotifications } from './notifications/session-notifications';
import type { LlmProvider } from './llm/provider';
import { createHomeLogRoot } from './log/home-log-root';
import type { Logger, LogLevel, LogRoot } from './log/logger';
import { headlessPorts } from './ports';
import type { EnginePorts } from './ports';
import { SandboxedCheckRunner } from './quality/sandboxed-check-runner';
import { createGitCommandPolicy } from './safety/git-command-policy';
import { ResourceGate } from './safety/resources/resource-gate';
import type { ResourceSampler } from './safety/resources/resource-sampler';
import { createSystemSampler } from './safety/resources/system-sampler';
import type { GitCallOptions } from './git/run-git';
import { buildSessionReport } from './report/session-report';
import type { SessionReport } from './report/session-report';
import { ReviewService } from './review/review-service';
import { ModelManager } from './models/model-manager';
import { KnowledgeVault } from './knowledge/knowledge-vault';
import { SessionRunner } from './scheduler/session-runner';
import type { RecoveryResult, RunSessionOptions } from './scheduler/session-runner';
import { readLockOwner } from './store/engine-lock';
import { openStore } from './store/store';
import type { Store } from './store/store';
import { TaskService } from './tasks/task-service';
import { WorkspaceService } from './workspaces/workspace-service';

export interface EngineOptions {
  home: string;
  config: Config;
  env: NodeJS.ProcessEnv;
  /** Readable log output (the CLI's stderr); files under <home>/logs are always written. */
  console?: { stream: NodeJS.WritableStream; level: LogLevel };
  ports?: Partial<EnginePorts>;
  /** Where resource readings come from; the real machine unless a test injects one. */
  resourceSampler?: ResourceSampler;
}

export interface EngineStatus {
  home: string;
  running: { pid: number; purpose: string; since: string } | null;
  queue: Record<TaskStatus, number>;
  lastSession: Session | null;
  provider: string;
  model: string | null;
}

export interface Engine {
  readonly home: string;
  readonly paths: HomePaths;
  readonly config: Config;
  readonly store: Store;
  readonly workspaces: WorkspaceService;
  readonly tasks: TaskService;
  readonly review: ReviewService;
  /** Catalog, downloads with progress, and the model in use (for the CLI and the desktop model manager). */
  readonly models: ModelManager;
  runSession(options: RunSessionOptions): Promise<Session>;
  /**
   * Cleans up after a process that died mid-session (as a session does when it starts): interrupted
   * attempts marked, their worktrees removed, their tasks queued again. Needs the engine lock.
   */
  recoverInterrupted(): Promise<RecoveryResult>;
  /** Unloads the model now ("free model memory"); refused while a session uses it. False when none was loaded. */
  releaseModel(): Promise<boolean>;
  /** A model provider is started (the embedded model in memory, or a server connection). */
  modelLoaded(): boolean;
  report(sessionId?: string): SessionReport;
  status(): EngineStatus;
  logger(subsystem: string): Logger;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const { config } = options;
  const ports = headlessPorts(options.ports);
  const now = ports.now;
  const paths = homePaths(options.home);
  fs.mkdirSync(paths.home, { recursive: true, mode: 0o700 });

  const logs: LogRoot = createHomeLogRoot({
    logsDir: paths.logs,
    level: config.logging.level,
    retentionDays: config.logging.retention_days,
    ...(options.console ? { console: { stream: options.console.stream, level: options.console.level } } : {}),
  });
  const store = openStore(paths.database);
  const ledger = new CostLedger(store, config.cost, now);
  const budget = new BudgetGuard(store, ledger, config.cost, now, (alert) => {
    if (config.notifications.enabled && config.notifications.budget_alerts) {
      ports.notify({ kind: 'budget_alerts', title: 'Nocturnal Agent budget', body: `${Math.round(alert.threshold * 100)}% of this month's $${alert.budgetUsd.toFixed(2)} budget is spent` });
    }
  });

  // The model is loaded lazily, when a session first needs it, and released when the session ends.
  let provider: LlmProvider | undefined;
  // Load progress goes to whoever runs the current session (the CLI's progress lines, the tray).
  let loadListener: ((progress: number) => void) | undefined;
  let sessionRunning = false;
  const llmLog = logs.createLogger('llm');
  const getProvider = async (): Promise<LlmProvider> => {
    if (!provider) {
      const created = createLlmProvider(config.llm, { log: llmLog, modelsDir: paths.models, env: options.env, sequences: config.parallel.max_parallel_attempts, onLoadProgress: (progress) => loadListener?.(progress) });
      await created.start();
      provider = created;
    }
    return provider;
  };
  const releaseProvider = async () => {
    const current = provider;
    provider = undefined;
    await current?.stop();
  };

  // Every git process the engine spawns passes the command policy first.
  const git: GitCallOptions = { policy: createGitCommandPolicy(config.safety.blocked_commands), logger: logs.createLogger('git') };
  const knowledge = new KnowledgeVault({ enabled: config.knowledge.enabled, root: config.knowledge.vault_path === null ? paths.vault : path.resolve(paths.home, config.knowledge.vault_path) });
  const workspaces = new WorkspaceService(store, now, git, knowledge);
  const tasks = new TaskService(store, workspaces, now);
  const review = new ReviewService(store, now, git);
  // Hidden from checks: the engine's home (database, config, other worktrees) and the user's home as
  // this process sees it (the sandbox always hides the OS home directory as well).
  const hidden = [paths.home, ...(options.env['HOME'] ? [options.env['HOME']] : [])];
  const checks = new SandboxedCheckRunner(config.safety, hidden, logs.createLogger('safety'));
  const sampler = options.resourceSampler ?? createSystemSampler();
  const model = () =>
    new ModelCaller(getProvider, { maxTokens: config.llm.max_tokens, temperature: config.llm.temperature, timeoutMs: config.llm.timeout_s * 1000 }, store, ledger, budget, logs.createLogger('agents'), now);
  const sessions = new SessionRunner({
    config,
    paths,
    store,
    git,
    log: logs.createLogger('scheduler'),
    now,
    model,
    checks,
    knowledge,
    releaseSessionResources: releaseProvider,
    resourceGate: () =>
      new ResourceGate({ safety: config.safety, sampler, diskPaths: [paths.home, ...store.workspaces.list().map((w) => w.path)], log: logs.createLogger('resources') }),
  });

  return {
    home: paths.home,
    paths,
    config,
    store,
    workspaces,
    tasks,
    review,
    models: new ModelManager({ home: paths.home, env: options.env, log: logs.createLogger('models') }),
    async runSession(runOptions) {
      assertModelConfigured();
      const release = ports.preventSleep('Nocturnal Agent is working through the night queue');
      sessionRunning = true;
      loadListener = (progress) => runOptions.onProgress?.({ type: 'model-loading', progress });
      try {
        const session = await sessions.run(runOptions);
        notifySessionEnd(session);
        return session;
      } finally {
        sessionRunning = false;
        loadListener = undefined;
        release();
      }
    },
    recoverInterrupted: () => sessions.recover(),
    async releaseModel() {
      if (sessionRunning) throw new NocturnalError('conflict', 'a session is using the model; stop it (or wait for it to end) before freeing model memory');
      const loaded = provider !== undefined;
      await releaseProvider();
      return loaded;
    },
    modelLoaded: () => provider !== undefined,
    report: (sessionId) => buildSessionReport(store, { sessionId, freeToolTargetRate: config.cost.free_tool_target_rate }),
    status() {
      const owner = readLockOwner(paths.lock);
      return {
        home: paths.home,
        running: owner ? { pid: owner.pid, purpose: owner.purpose, since: owner.startedAt } : null,
        queue: store.tasks.countsByStatus(),
        lastSession: store.sessions.latest() ?? null,
        provider: config.llm.provider,
        model: config.llm.provider === 'llama' ? config.llm.model_path : config.llm.model,
      };
    },
    logger: (subsystem) => logs.createLogger(subsystem),
    async start() {
      logs.createLogger('engine').debug({ home: paths.home }, 'engine started');
    },
    async stop() {
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
    if (config.llm.provider !== 'llama') return;
    if (config.llm.model_path === null) {
      throw new NocturnalError('validation', 'llm.model_path is not set: choose a model with `nocturnal model use NAME_OR_PATH` (see `nocturnal model list`), or set llm.provider to openai for a server such as LM Studio');
    }
    const file = resolveModelFile(config.llm.model_path, paths.models);
    if (!fs.existsSync(file)) {
      throw new NocturnalError('validation', `llm.model_path: ${file} does not exist; pull it with \`nocturnal model pull\` or point llm.model_path at a GGUF file`);
    }
  }

  function notifySessionEnd(session: Session): void {
    for (const notification of sessionNotifications(session, config.notifications)) ports.notify(notification);
  }
}
