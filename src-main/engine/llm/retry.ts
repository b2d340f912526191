// Exponential backoff with full jitter for transient LLM failures. This is the only retry policy in
// the layer (the OpenAI SDK runs with maxRetries: 0), so how often and how long we retry is decided in
// one place. Sleep and randomness are injectable so tests need not wait.
import { LlmError, isLlmError } from './llm-error';

export interface RetryPolicy {
  /** Retries after the first try; 0 means try once. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface RetryDeps {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Returns a number in [0, 1). */
  random?: () => number;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (info: { attempt: number; delayMs: number; error: LlmError }) => void;
  signal?: AbortSignal;
  /** Which retryable errors to retry; all of them (transient and timeout) by default. */
  retryOn?: (error: LlmError) => boolean;
}

export const defaultRetryTiming = { baseDelayMs: 500, maxDelayMs: 20_000 } as const;

/** Delay before retry number `attempt` (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortedError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `operation` and retries it while it throws a retryable LlmError (transient or timeout) that
 * `retryOn` accepts.
 * Anything else, and the last retryable error, is rethrown unchanged.
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  operation: (attempt: number) => Promise<T>,
  deps: RetryDeps = {},
): Promise<T> {
  const sleep = deps.sleep ?? abortableSleep;
  const random = deps.random ?? Math.random;
  for (let attempt = 0; ; attempt++) {
    if (deps.signal?.aborted) throw abortedError(deps.signal);
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isLlmError(error) || !error.retryable || attempt >= policy.maxRetries) throw error;
      if (deps.retryOn !== undefined && !deps.retryOn(error)) throw error;
      const delayMs = backoffDelayMs(policy, attempt + 1, random);
      deps.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs, deps.signal);
    }
  }
}

export function abortedError(signal?: AbortSignal): LlmError {
  const reason: unknown = signal?.reason;
  const detail = reason instanceof Error && reason.name !== 'AbortError' ? `: ${reason.message}` : '';
  return new LlmError('aborted', `the model call was cancelled${detail}`, { cause: reason });
}
