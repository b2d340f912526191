// `workspaces:detect {path}`: what the engine finds in a repository before it is registered — the
// suggested check commands and setup, so the add-workspace form starts filled in.
import { z } from 'zod';
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
