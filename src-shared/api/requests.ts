// Request payloads of the engine API: the CLI's argument names in camelCase (DESIGN §8b). Strict
// objects: an unknown field is refused by name rather than ignored, so a typo cannot silently do less.
import { z } from 'zod';
import { taskPrioritySchema, taskStatusSchema } from '../domain/task';
import { workspaceStartFromSchema } from '../domain/workspace';

export const noPayload = z.strictObject({});

const id = (what: string) => z.string().min(1, `expected the ${what}`);
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time HH:MM');

export const configSetRequestSchema = z.strictObject({
  /** `section.field` as in config.yaml, e.g. `scheduler.night_mode`. */
  path: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'expected section.field, e.g. scheduler.night_mode'),
  value: z.unknown(),
});

export const setNightModeSchema = z.strictObject({ enabled: z.boolean() });

export const workspaceAddRequestSchema = z.strictObject({
  path: z.string().min(1, 'expected the path of a git repository'),
  name: z.string().optional(),
  base: z.string().optional(),
  target: z.string().optional(),
  test: z.string().optional(),
  lint: z.string().optional(),
  typecheck: z.string().optional(),
  build: z.string().optional(),
  /** The dependency setup command; detected from the lock files when left out. */
  setup: z.string().optional(),
  /** Where attempts start: `target` (the default) or `base`. */
  startFrom: workspaceStartFromSchema.optional(),
});
/** A check command to set, or null to drop that check (at least one check must remain). */
const checkChange = z.string().trim().min(1, 'expected a command, or null to drop this check').nullable().optional();
/**
 * Changes a registered workspace (`workspace edit`); only the fields given change. The same rules as
 * `workspaces:add`: check commands pass the shell parser and the command policy, the base branch
 * exists, the target is a valid branch name. `setup: null` goes back to the setup detected from the
 * lock files.
 */
export const workspaceUpdateRequestSchema = z.strictObject({
  name: z.string().min(1, 'expected the workspace name'),
  base: z.string().trim().min(1, 'expected a branch name').optional(),
  target: z.string().trim().min(1, 'expected a branch name').optional(),
  startFrom: workspaceStartFromSchema.optional(),
  test: checkChange,
  lint: checkChange,
  typecheck: checkChange,
  build: checkChange,
  setup: z.string().trim().min(1, 'expected a command, or null to use the detected setup').nullable().optional(),
});
export const workspaceNameRequestSchema = z.strictObject({ name: id('workspace name') });
export const workspaceDetectRequestSchema = z.strictObject({ path: z.string().min(1, 'expected a folder path') });

export const taskListRequestSchema = z.strictObject({ status: taskStatusSchema.optional() });
export const taskIdRequestSchema = z.strictObject({ id: id('task id') });
export const taskAddRequestSchema = z.strictObject({
  workspace: id('workspace name'),
  title: z.string().trim().min(1, 'a task needs a title that says what to do'),
  description: z.string().optional(),
  criteria: z.array(z.string()).optional(),
  priority: taskPrioritySchema.optional(),
  files: z.array(z.string()).optional(),
  /** Plan with a spec before editing (the `spec` executor). */
  spec: z.boolean().optional(),
});
/** Changes a queued task; only the fields given change. */
export const taskUpdateRequestSchema = z.strictObject({
  id: id('task id'),
  title: z.string().trim().min(1, 'a task needs a title that says what to do').optional(),
  description: z.string().optional(),
  criteria: z.array(z.string()).optional(),
  priority: taskPrioritySchema.optional(),
  files: z.array(z.string()).optional(),
  spec: z.boolean().optional(),
});
export const taskRetryRequestSchema = z.strictObject({ id: id('task id'), note: z.string().optional() });

export const attemptIdRequestSchema = z.strictObject({ attemptId: id('attempt id') });
export const reviewRejectRequestSchema = z.strictObject({ attemptId: id('attempt id'), note: z.string().optional() });

export const sessionsListRequestSchema = z.strictObject({ limit: z.number().int().min(1).max(500).optional() });
export const reportGetRequestSchema = z.strictObject({ sessionId: z.string().min(1).optional() });
export const sessionStartRequestSchema = z.strictObject({
  maxTasks: z.number().int().min(1, 'expected a whole number of at least 1').optional(),
  /** Start no new task after this wall-clock time (scheduler.timezone), like `run --until`. */
  until: clockTime.optional(),
});

export const modelUriRequestSchema = z.strictObject({
  uri: z.string().min(1, 'expected a model name, hf:USER/REPO/FILE.gguf or a URL'),
});
export const modelNameRequestSchema = z.strictObject({ name: z.string().min(1, 'expected a model name or path') });

/** `setup:useServer`: answer with a model an OpenAI-compatible server lists (the first run's model step). */
export const setupUseServerRequestSchema = z.strictObject({
  apiUrl: z.string().url("expected the server's base URL, e.g. http://127.0.0.1:11434/v1"),
  model: z.string().min(1, 'expected one of the models the server lists'),
});
/** `setup:useEmbedded`: a catalog model by id; the config names it and its download starts. */
export const setupUseEmbeddedRequestSchema = z.strictObject({
  modelId: z.string().min(1, 'expected a catalog model id (see models:list)'),
});
/** `setup:setNight`: the first run's night step, written together. */
export const setupSetNightRequestSchema = z.strictObject({
  startTime: clockTime,
  endTime: clockTime,
  nightMode: z.boolean(),
  notifications: z.boolean(),
});
