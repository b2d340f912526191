// The engine API (DESIGN §8b): one handler per channel of the contract, over the engine's services.
// Electron IPC, `nocturnal serve` and the CLI all call these, through `dispatch`, which validates the
// payload before a handler runs and the answer after. Handlers hold no state of their own beyond the
// downloads in flight (so `models:cancel` can reach them).
import type { ChannelHandlers } from '../../../src-shared/api/dispatch';
import { nightModeOf } from '../../../src-shared/domain/app-state';
import type { AppInfo } from '../../../src-shared/domain/app-state';
import type { Session } from '../../../src-shared/domain/records';
import type { Engine } from '../engine';
import { NocturnalError } from '../errors/nocturnal-error';
import { buildReviewDetail } from '../review/review-detail';
import { detectWorkspace } from '../workspaces/detect-workspace';
import { createSetupHandlers } from './setup-handlers';
import { nextWallClockTime } from './until-time';

/** Starting and stopping sessions: the engine's own by default; a host with a scheduler passes its own. */
export interface SessionControl {
  start(options: { maxTasks?: number | undefined; until?: Date | undefined }): Promise<Session>;
  stop(): { stopping: boolean; sessionId: string | null };
}

export interface EngineApiOptions {
  host: AppInfo['host'];
  version: string;
  productName?: string;
  sessions?: SessionControl;
}

export function createEngineApi(engine: Engine, options: EngineApiOptions): ChannelHandlers {
  const sessions: SessionControl = options.sessions ?? {
    start: (run) => engine.startSession(run),
    stop: () => engine.stopSession(),
  };
  const downloads = new Map<string, AbortController>();

  const handlers: ChannelHandlers = {
    'app:getInfo': () => ({
      productName: options.productName ?? 'Nocturnal Agent',
      version: options.version,
      platform: process.platform,
      home: engine.home,
      host: options.host,
    }),
    'status:get': () => engine.status(),
    'config:get': () => engine.config,
    'config:set': ({ path, value }) => engine.configStore.set(path, value),
    'nightMode:get': () => nightModeOf(engine.config),
    'nightMode:set': ({ enabled }) => nightModeOf(engine.configStore.set('scheduler.night_mode', enabled)),

    'workspaces:list': () => engine.workspaces.list(),
    'workspaces:add': (input) =>
      engine.workspaces.add({
        path: input.path,
        name: input.name,
        baseBranch: input.base,
        targetBranch: input.target,
        checks: { test: input.test, lint: input.lint, typecheck: input.typecheck, build: input.build },
        setupCommand: input.setup,
        startFrom: input.startFrom,
      }),
    'workspaces:update': ({ name, base, target, startFrom, test, lint, typecheck, build, setup }) =>
      engine.workspaces.update(name, {
        baseBranch: base,
        targetBranch: target,
        startFrom,
        checks: { test, lint, typecheck, build },
        setupCommand: setup,
      }),
    'workspaces:remove': ({ name }) => engine.workspaces.remove(name),
    'workspaces:detect': ({ path }) => detectWorkspace(path, engine.git),
    'workspaces:check': ({ name }) => engine.workspaces.check(name),

    'tasks:list': ({ status }) => engine.tasks.list({ status }),
    'tasks:get': ({ id }) => engine.tasks.show(id),
    'tasks:add': (input) =>
      engine.tasks.add({
        workspace: input.workspace,
        title: input.title,
        description: input.description,
        criteria: input.criteria,
        priority: input.priority,
        files: input.files,
        executor: input.spec ? 'spec' : 'direct',
      }),
    'tasks:update': ({ id, spec, ...changes }) =>
      engine.tasks.update(id, { ...changes, executor: spec === undefined ? undefined : spec ? 'spec' : 'direct' }),
    'tasks:cancel': ({ id }) => engine.tasks.cancel(id),
    'tasks:retry': ({ id, note }) => engine.review.retry(id, note),

    'review:list': () => engine.review.list(),
    'review:get': ({ attemptId }) => buildReviewDetail(engine.store, engine.git, attemptId),
    'review:approve': ({ attemptId }) => engine.review.approve(attemptId),
    'review:reject': ({ attemptId, note }) => engine.review.reject(attemptId, note),
    'review:undo': async ({ attemptId }) => ({ attemptId, ...(await engine.review.undo(attemptId)) }),

    'sessions:list': ({ limit }) => engine.store.sessions.list(limit ?? 50),
    'report:get': ({ sessionId }) => engine.report(sessionId),
    'session:start': async ({ maxTasks, until }) => {
      const untilDate =
        until === undefined ? undefined : nextWallClockTime(until, engine.now(), engine.config.scheduler.timezone);
      return { session: await sessions.start({ maxTasks, until: untilDate }) };
    },
    'session:stop': () => sessions.stop(),

    'models:list': () => engine.models.list(),
    'models:pull': async ({ uri }) => {
      if (downloads.has(uri))
        throw new NocturnalError(
          'conflict',
          `${uri} is already being downloaded; cancel it with models:cancel or wait for it`,
        );
      const controller = new AbortController();
      downloads.set(uri, controller);
      try {
        const result = await engine.models.pull(uri, {
          signal: controller.signal,
          onProgress: (progress) =>
            engine.events.publish('models:progress', {
              uri,
              state: 'downloading',
              progress,
              result: null,
              error: null,
            }),
        });
        engine.events.publish('models:progress', { uri, state: 'done', progress: null, result, error: null });
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        engine.events.publish('models:progress', {
          uri,
          state: controller.signal.aborted ? 'cancelled' : 'failed',
          progress: null,
          result: null,
          error: message,
        });
        throw error;
      } finally {
        downloads.delete(uri);
      }
    },
    'models:cancel': ({ uri }) => {
      const controller = downloads.get(uri);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'models:use': ({ name }) => engine.models.use(name),
    'models:remove': ({ name }) => engine.models.remove(name),
    'models:free': async () => ({ freed: await engine.releaseModel() }),
    ...createSetupHandlers({
      engine,
      // The download is the models:pull handler's own (one per uri, cancellable, progress events);
      // its failure reaches the window as a models:progress `failed` event, so it is not rethrown here.
      startPull: (uri) =>
        void (handlers['models:pull'] as (request: { uri: string }) => Promise<unknown>)({ uri }).catch(
          () => undefined,
        ),
    }),
  };

  // Whatever a call changed goes out as events before its answer does, so a face that listens sees
  // the change no later than the caller.
  return Object.fromEntries(
    Object.entries(handlers).map(([channel, handler]) => [
      channel,
      async (request: never) => {
        try {
          return await (handler as (request: never) => unknown)(request);
        } finally {
          engine.checkForChanges();
        }
      },
    ]),
  ) as ChannelHandlers;
}
