// How engine errors cross the API: a NocturnalError keeps its kind (validation, not_found, conflict…),
// anything else is a runtime failure with its own message — never a generic "something went wrong".
import { NocturnalError } from '../errors/nocturnal-error';
import type { NocturnalErrorKind } from '../errors/nocturnal-error';
import type { ApiError, ApiErrorType } from '../../../src-shared/api/result';

const typeOfKind = {
  usage: 'usage',
  validation: 'validation',
  not_found: 'not_found',
  conflict: 'conflict',
  runtime: 'runtime',
} as const satisfies Record<NocturnalErrorKind, ApiErrorType>;

export function describeError(error: unknown): ApiError {
  if (error instanceof NocturnalError) return { type: typeOfKind[error.kind], message: error.message };
  if (error instanceof Error) return { type: 'runtime', message: error.message };
  return { type: 'runtime', message: String(error) };
}
