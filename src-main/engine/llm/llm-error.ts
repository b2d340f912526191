// The one error type the LLM layer throws. `kind` tells callers what to do with it:
// - transient: worth retrying (connection refused, 429, 5xx); retry.ts does so up to max_retries;
// - permanent: retrying will not help (bad config, missing model, 4xx); tell the user;
// - invalid_output: the model answered but not in the requested shape (after a repair turn);
// - aborted: the caller's signal fired;
// - timeout: one call ran past its time limit (retried like a transient error);
// - context_overflow: the prompt plus the reply budget does not fit the context; shrink the prompt.
// Messages are written for the person reading the morning report: what failed and what to check.
export type LlmErrorKind = 'transient' | 'permanent' | 'invalid_output' | 'aborted' | 'timeout' | 'context_overflow';

export class LlmError extends Error {
  readonly kind: LlmErrorKind;

  constructor(kind: LlmErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LlmError';
    this.kind = kind;
  }

  /** Whether the same request may succeed if simply sent again. */
  get retryable(): boolean {
    return this.kind === 'transient' || this.kind === 'timeout';
  }
}

export function isLlmError(error: unknown, kind?: LlmErrorKind): error is LlmError {
  return error instanceof LlmError && (kind === undefined || error.kind === kind);
}

/** The innermost message of an error's cause chain, where the useful detail usually is. */
export function rootCauseMessage(error: unknown): string {
  let current: unknown = error;
  let message = current instanceof Error ? current.message : String(current);
  for (let depth = 0; depth < 8 && current instanceof Error && current.cause !== undefined; depth++) {
    current = current.cause;
    if (current instanceof Error && current.message !== '') message = current.message;
  }
  return message;
}

/** Finds a Node system error code (ECONNREFUSED, ENOTFOUND, …) anywhere in the cause chain. */
export function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return code;
    // AggregateError (happy eyeballs: several addresses tried) keeps the details in `errors`.
    const nested = (current as { errors?: unknown }).errors;
    if (Array.isArray(nested)) {
      for (const inner of nested) {
        const innerCode = systemErrorCode(inner);
        if (innerCode !== undefined) return innerCode;
      }
    }
    current = current.cause;
  }
  return undefined;
}
