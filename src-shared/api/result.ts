// The envelope every API call answers with, on every transport (Electron IPC, loopback HTTP, CLI):
// either `{data}` or `{error: {type, message}}`. Errors are values, never thrown across a transport,
// so the receiving side always gets a message a person can act on.
import { z } from 'zod';

export const apiErrorTypes = [
  // the caller's input: a payload that fails its schema, a bad argument (CLI exit 2)
  'validation',
  'usage',
  // the engine's answers
  'not_found',
  'conflict',
  'runtime',
  // the transport's answers
  'unknown_channel',
  'forbidden',
  'not_connected',
  // the other side answered with something the contract does not allow
  'contract',
] as const;
export type ApiErrorType = (typeof apiErrorTypes)[number];

export const apiErrorSchema = z.strictObject({
  type: z.enum(apiErrorTypes),
  message: z.string(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export type Result<T> = { data: T } | { error: ApiError };

export function ok<T>(data: T): { data: T } {
  return { data };
}

export function failure(type: ApiErrorType, message: string): { error: ApiError } {
  return { error: { type, message } };
}

export function isOk<T>(result: Result<T>): result is { data: T } {
  return 'data' in result;
}

/** Checks the envelope and, inside it, the data against `dataSchema`. */
export function resultSchema<T extends z.ZodType>(dataSchema: T) {
  return z.union([z.strictObject({ data: dataSchema }), z.strictObject({ error: apiErrorSchema })]);
}
