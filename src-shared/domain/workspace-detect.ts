// `workspaces:detect {path}`: what the engine finds in a repository before it is registered — the
// suggested check commands and setup, so the add-workspace form starts filled in.
import { z } from 'zod';
import { checkOutcomeSchema } from './attempt';
import { workspaceChecksSchema } from './workspace';

export const workspaceDetectionSchema = z.object({
  path: z.string(),
  isRepository: z.boolean(),
  /** Why it cannot be registered as it is (not a repository, bare, no commits), else null. */
  problem: z.string().nullable(),
  suggestedName: z.string().nullable(),
  currentBranch: z.string().nullable(),
  checks: workspaceChecksSchema,
  /** The setup command suggested by the lock files (npm ci, uv sync, …), if any. */
  setup: z.string().nullable(),
  /** Where each suggestion came from, e.g. `package.json scripts.test`. */
  evidence: z.array(z.string()),
});
export type WorkspaceDetection = z.infer<typeof workspaceDetectionSchema>;

/**
 * `workspaces:check {name}` (and `workspace check NAME`): the dependency setup and every check run
 * once on the base commit, as attempts will see them — what passes there and how long it takes.
 */
export const baselineResultSchema = z.object({
  baseCommit: z.string(),
  setup: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('none') }),
    z.object({
      kind: z.literal('ready'),
      plan: z.string(),
      command: z.string(),
      cacheHit: z.boolean(),
      durationMs: z.number(),
      folder: z.string(),
    }),
    z.object({ kind: z.literal('failed'), command: z.string(), reason: z.string() }),
  ]),
  checks: z.array(checkOutcomeSchema),
  /** Plain warnings: a check failing on the base, a missing program, a failed setup. */
  warnings: z.array(z.string()),
});
export type BaselineResult = z.infer<typeof baselineResultSchema>;
