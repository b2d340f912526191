// Events the engine pushes to the UI (main → renderer). Payloads are validated before they are sent
// and again where they are received, like channel results.
import type { z } from 'zod';
import { nightModeStateSchema } from './channels';
import type { EventName } from './names';

export const events = {
  'nightMode:changed': nightModeStateSchema,
} as const satisfies Record<EventName, z.ZodType>;

export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
