import type { Migration } from './migration';
import { initialSchema } from './001-initial-schema';
import { interactionsUsageEvents } from './002-interactions-usage-events';
import { attemptSpec } from './003-attempt-spec';
import { attemptUndone } from './004-attempt-undone';
import { workspaceSetup } from './005-workspace-setup';
import { workspaceStartFrom } from './006-workspace-start-from';
import { scaleIndexes } from './007-scale-indexes';

/** Every migration, in order. Append only. */
export const migrations: readonly Migration[] = [
  initialSchema,
  interactionsUsageEvents,
  attemptSpec,
  attemptUndone,
  workspaceSetup,
  workspaceStartFrom,
  scaleIndexes,
];
