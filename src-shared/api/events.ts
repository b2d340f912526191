// Events the engine pushes to every face (IPC to the windows, the loopback server's event stream, the
// CLI's progress lines). Payloads are validated before they are sent and again where they are received,
// like channel results.
import { z } from 'zod';
import { configSchema } from '../config/schema';
import { engineStatusSchema, nightModeStateSchema } from '../domain/app-state';
import { modelProgressSchema } from '../domain/models';
import { sessionProgressSchema } from '../domain/progress';
import { taskSchema } from '../domain/records';
import { reviewItemSchema } from '../domain/review';
import type { EventName } from './names';

/** Where a change came from: this engine, or another process on the same home (the CLI, an editor). */
export const changeOriginSchema = z.enum(['engine', 'external']);
export type ChangeOrigin = z.infer<typeof changeOriginSchema>;

export const taskChangedSchema = z.object({ task: taskSchema, origin: changeOriginSchema });
export type TaskChanged = z.infer<typeof taskChangedSchema>;

/** The whole waiting list after a change (it is short), and the attempt that changed when known. */
export const reviewChangedSchema = z.object({
  attemptId: z.string().nullable(),
  items: z.array(reviewItemSchema),
  origin: changeOriginSchema,
});
export type ReviewChanged = z.infer<typeof reviewChangedSchema>;

export const configChangedSchema = z.object({ config: configSchema, origin: changeOriginSchema });
export type ConfigChanged = z.infer<typeof configChangedSchema>;

export const events = {
  'status:changed': engineStatusSchema,
  'session:progress': sessionProgressSchema,
  'task:changed': taskChangedSchema,
  'review:changed': reviewChangedSchema,
  'models:progress': modelProgressSchema,
  'config:changed': configChangedSchema,
  'nightMode:changed': nightModeStateSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export type EventMap = { [E in EventName]: EventPayload<E> };
