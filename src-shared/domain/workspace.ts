import { z } from 'zod';
import { checkNameSchema } from './attempt';

export const workspaceChecksSchema = z.partialRecord(checkNameSchema, z.string().min(1));
export type WorkspaceChecks = z.infer<typeof workspaceChecksSchema>;

/** Where attempts start: the target branch when it contains the base (so merged work compounds), or the base. */
export const workspaceStartFroms = ['target', 'base'] as const;
export const workspaceStartFromSchema = z.enum(workspaceStartFroms);
export type WorkspaceStartFrom = z.infer<typeof workspaceStartFromSchema>;

export const workspaceNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected letters, digits, ".", "_" or "-" (at most 64 characters)');
