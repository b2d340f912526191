// Whether an LLM error means the model server cannot be reached at all (refused, no route, unknown
// host), as opposed to a bad answer or a busy server. Such an error is the night's, not the task's: the
// session stops and the queue waits, instead of every task failing one by one against a dead server.
import { isLlmError } from './llm-error';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
]);

export function isServerUnreachable(error: unknown): boolean {
  if (!isLlmError(error)) return false;
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    const errors = (current as { errors?: unknown }).errors;
    // Node reports a refused dual-stack connect as an AggregateError of one error per address.
    if (Array.isArray(errors) && errors.some((e) => UNREACHABLE_CODES.has(String((e as { code?: unknown }).code))))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
