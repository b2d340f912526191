// Request/response channels of the one engine API (DESIGN §8b). Every transport validates the payload
// with `request` before a handler sees it and checks the handler's answer with `response`, so the
// contract cannot drift silently. A channel with no input takes `{}` (room to grow options).
import { z } from 'zod';
import { configSchema } from '../config/schema';
import { appInfoSchema, engineStatusSchema, nightModeStateSchema } from '../domain/app-state';
import { modelListSchema, pullResultSchema, removeModelResultSchema, useModelResultSchema } from '../domain/models';
import { attemptSchema, sessionSchema, taskSchema, workspaceSchema } from '../domain/records';
import { sessionReportSchema } from '../domain/report';
import { reviewDetailSchema, reviewItemSchema } from '../domain/review';
import { setupInfoSchema, useEmbeddedAnswerSchema } from '../domain/setup';
import { baselineResultSchema, workspaceDetectionSchema } from '../domain/workspace-detect';
import {
  approveAnswerSchema,
  modelCancelAnswerSchema,
  modelFreeAnswerSchema,
  sessionStartAnswerSchema,
  sessionStopAnswerSchema,
  undoAnswerSchema,
} from './answers';
import type { ChannelName } from './names';
import {
  attemptIdRequestSchema,
  configSetRequestSchema,
  modelNameRequestSchema,
  modelUriRequestSchema,
  noPayload,
  reportGetRequestSchema,
  reviewRejectRequestSchema,
  sessionsListRequestSchema,
  sessionStartRequestSchema,
  setNightModeSchema,
  setupSetNightRequestSchema,
  setupUseEmbeddedRequestSchema,
  setupUseServerRequestSchema,
  taskAddRequestSchema,
  taskIdRequestSchema,
  taskListRequestSchema,
  taskRetryRequestSchema,
  taskUpdateRequestSchema,
  workspaceAddRequestSchema,
  workspaceDetectRequestSchema,
  workspaceNameRequestSchema,
  workspaceUpdateRequestSchema,
} from './requests';

// Where the records used to live; kept so imports of the contract stay in one place.
export { appInfoSchema, nightModeStateSchema, nightWindowSchema } from '../domain/app-state';
export type { AppInfo, NightModeState, NightWindow } from '../domain/app-state';
export { setNightModeSchema } from './requests';

interface ChannelSpec {
  request: z.ZodType;
  response: z.ZodType;
}

export const channels = {
  'app:getInfo': { request: noPayload, response: appInfoSchema },
  'status:get': { request: noPayload, response: engineStatusSchema },
  'config:get': { request: noPayload, response: configSchema },
  'config:set': { request: configSetRequestSchema, response: configSchema },
  'nightMode:get': { request: noPayload, response: nightModeStateSchema },
  'nightMode:set': { request: setNightModeSchema, response: nightModeStateSchema },

  'workspaces:list': { request: noPayload, response: z.array(workspaceSchema) },
  'workspaces:add': { request: workspaceAddRequestSchema, response: workspaceSchema },
  'workspaces:update': { request: workspaceUpdateRequestSchema, response: workspaceSchema },
  'workspaces:remove': { request: workspaceNameRequestSchema, response: workspaceSchema },
  'workspaces:detect': { request: workspaceDetectRequestSchema, response: workspaceDetectionSchema },
  'workspaces:check': { request: workspaceNameRequestSchema, response: baselineResultSchema },

  'tasks:list': { request: taskListRequestSchema, response: z.array(taskSchema) },
  'tasks:get': { request: taskIdRequestSchema, response: taskSchema },
  'tasks:add': { request: taskAddRequestSchema, response: taskSchema },
  'tasks:update': { request: taskUpdateRequestSchema, response: taskSchema },
  'tasks:cancel': { request: taskIdRequestSchema, response: taskSchema },
  'tasks:retry': { request: taskRetryRequestSchema, response: taskSchema },

  'review:list': { request: noPayload, response: z.array(reviewItemSchema) },
  'review:get': { request: attemptIdRequestSchema, response: reviewDetailSchema },
  'review:approve': { request: attemptIdRequestSchema, response: approveAnswerSchema },
  'review:reject': { request: reviewRejectRequestSchema, response: attemptSchema },
  'review:undo': { request: attemptIdRequestSchema, response: undoAnswerSchema },

  'sessions:list': { request: sessionsListRequestSchema, response: z.array(sessionSchema) },
  'report:get': { request: reportGetRequestSchema, response: sessionReportSchema },
  'session:start': { request: sessionStartRequestSchema, response: sessionStartAnswerSchema },
  'session:stop': { request: noPayload, response: sessionStopAnswerSchema },

  'models:list': { request: noPayload, response: modelListSchema },
  'models:pull': { request: modelUriRequestSchema, response: pullResultSchema },
  'models:cancel': { request: modelUriRequestSchema, response: modelCancelAnswerSchema },
  'models:use': { request: modelNameRequestSchema, response: useModelResultSchema },
  'models:remove': { request: modelNameRequestSchema, response: removeModelResultSchema },
  'models:free': { request: noPayload, response: modelFreeAnswerSchema },

  'setup:get': { request: noPayload, response: setupInfoSchema },
  'setup:useServer': { request: setupUseServerRequestSchema, response: configSchema },
  'setup:useEmbedded': { request: setupUseEmbeddedRequestSchema, response: useEmbeddedAnswerSchema },
  'setup:setNight': { request: setupSetNightRequestSchema, response: configSchema },
} as const satisfies Record<ChannelName, ChannelSpec>;

/** What a caller passes (before defaults are applied). */
export type ChannelPayload<C extends ChannelName> = z.input<(typeof channels)[C]['request']>;
/** What a handler receives (after validation). */
export type ChannelRequest<C extends ChannelName> = z.output<(typeof channels)[C]['request']>;
/** What a handler returns and a caller receives in `{data}`. */
export type ChannelResult<C extends ChannelName> = z.output<(typeof channels)[C]['response']>;
