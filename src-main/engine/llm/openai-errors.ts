// Maps what the openai SDK throws to LlmError with a message a user can act on. Kept apart from the
// provider so the wording for each failure lives in one small place.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { LlmError, rootCauseMessage, systemErrorCode } from './llm-error';
import { abortedError } from './retry';
import type { Redactor } from '../log/redact';

export interface OpenAiErrorContext {
  /** Base URL of the server, as configured (never contains the key). */
  url: string;
  model: string;
  timeoutMs: number;
  /** The caller's signal: when it fired, the failure is a cancellation. */
  signal?: AbortSignal;
  /** Fires when the call has run for timeoutMs (the whole reply, streamed or not). */
  deadline?: AbortSignal;
  /** Masks the configured key: servers echo it back in 401 and 500 bodies. */
  redactor?: Redactor;
}

export function toLlmError(error: unknown, ctx: OpenAiErrorContext): LlmError {
  const mapped = mapError(error, ctx);
  // The message goes into reasons, logs and the terminal: the server's own words may hold the key.
  if (ctx.redactor) mapped.message = ctx.redactor.text(mapped.message);
  return mapped;
}

function mapError(error: unknown, ctx: OpenAiErrorContext): LlmError {
  if (error instanceof LlmError) return error;
  if (ctx.signal?.aborted === true) return abortedError(ctx.signal);
  if (error instanceof APIConnectionTimeoutError || ctx.deadline?.aborted === true) {
    return new LlmError(
      'timeout',
      `no reply from the OpenAI-compatible server at ${ctx.url} within ${formatSeconds(ctx.timeoutMs)} (llm.timeout_s); the model may be too slow for this prompt or the server is stuck`,
      { cause: error },
    );
  }
  if (error instanceof APIUserAbortError) return abortedError(ctx.signal);
  if (error instanceof APIConnectionError) return connectionError(error, ctx.url);
  if (error instanceof APIError && typeof error.status === 'number') return httpError(error, error.status, ctx);
  return new LlmError('transient', `the OpenAI-compatible server at ${ctx.url} failed: ${rootCauseMessage(error)}`, {
    cause: error,
  });
}

function connectionError(error: APIConnectionError, url: string): LlmError {
  const code = systemErrorCode(error);
  const where = `cannot reach the OpenAI-compatible server at ${url}`;
  switch (code) {
    case 'ECONNREFUSED':
      return new LlmError(
        'transient',
        `${where}: connection refused — is LM Studio (or your server) running, and is llm.api_url right?`,
        { cause: error },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new LlmError('transient', `${where}: host not found — check llm.api_url`, { cause: error });
    case 'ECONNRESET':
    case 'EPIPE':
      return new LlmError('transient', `${where}: the connection was reset by the server`, { cause: error });
    default:
      return new LlmError('transient', `${where}: ${rootCauseMessage(error)}`, { cause: error });
  }
}

function httpError(error: APIError, status: number, ctx: OpenAiErrorContext): LlmError {
  const detail = serverMessage(error);
  const prefix = `the OpenAI-compatible server at ${ctx.url} answered ${status}`;
  if (status === 401 || status === 403) {
    return new LlmError(
      'permanent',
      `${prefix}: the API key was refused — set the environment variable named by llm.api_key_env (${detail})`,
      { cause: error },
    );
  }
  if (status === 404 && /model/i.test(detail)) {
    return new LlmError(
      'permanent',
      `model ${ctx.model} is not loaded on the server at ${ctx.url} (${detail}) — load it there or change llm.model`,
      { cause: error },
    );
  }
  if (status === 408 || status === 409 || status === 429 || status >= 500) {
    const why = status === 429 ? 'rate limited or busy' : 'server error';
    return new LlmError('transient', `${prefix} (${why}): ${detail}`, { cause: error });
  }
  if (isContextOverflowMessage(detail)) {
    return new LlmError(
      'context_overflow',
      `${prefix}: the prompt does not fit the model's context (${detail}) — shorten the context or raise the server's context length`,
      { cause: error },
    );
  }
  return new LlmError('permanent', `${prefix}: ${detail}`, { cause: error });
}

/** A 4xx that says the server does not understand `response_format: json_schema`. */
export function isJsonSchemaRejection(error: unknown): boolean {
  if (!(error instanceof APIError) || typeof error.status !== 'number') return false;
  if (error.status < 400 || error.status >= 500 || [401, 403, 404, 408, 409, 429].includes(error.status)) return false;
  return /response_format|json_schema|json schema/i.test(serverMessage(error));
}

function isContextOverflowMessage(message: string): boolean {
  return /context[_ ]length|context window|maximum context|exceeds? (the )?(available )?context|too many tokens/i.test(
    message,
  );
}

function serverMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  if (body !== undefined && typeof body.message === 'string' && body.message !== '') return body.message;
  return error.message;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
