// The provider for any OpenAI-compatible server (LM Studio, Ollama, llama-server, vLLM, OpenAI).
// Structured output uses `response_format: json_schema` (strict); a server that rejects it is asked
// for `json_object` instead, from then on, with the schema spelled out in the prompt. Every reply is
// validated with zod; an invalid one gets exactly one repair turn. Retries (connection refused, 429,
// 5xx, timeouts) happen here with our backoff policy; the SDK itself never retries. When the caller
// wants live progress (onTextChunk) the reply is streamed; otherwise it comes in one piece.
import { OpenAI } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage as ServerUsage } from 'openai/resources/completions';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { resolveSizing } from './context-sizing';
import type { ContextSizing } from './context-sizing';
import { LlmError, isLlmError, rootCauseMessage } from './llm-error';
import { isJsonSchemaRejection, toLlmError } from './openai-errors';
import { isLoopbackUrl } from './loopback-url';
import { configuredSecrets, createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';
import type { OpenAiErrorContext } from './openai-errors';
import { addUsage, usageFrom } from './openai-usage';
import type { ChatMessage, CompletionRequest, CompletionResult, CompletionUsage, LlmProvider } from './provider';
import type { StructuredSchema } from './protocol';
import { parseStructuredReply } from './reply-parser';
import { repairInstruction, schemaInstruction } from './repair';
import { defaultRetryTiming, withRetry } from './retry';
import type { RetryDeps, RetryPolicy } from './retry';

export interface OpenAiProviderOptions {
  config: LlmConfig;
  log: Logger;
  /** Where the API key is looked up; process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Backoff timing and injectable sleep/random (tests). */
  retry?: Partial<Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>> & Pick<RetryDeps, 'sleep' | 'random'>;
  /** Longest the GET /models probe in start() may take; defaults to min(timeout_s, 15 s). */
  probeTimeoutMs?: number;
}

// Local servers ignore the key but the SDK insists on one.
const keylessServerApiKey = 'sk-local-no-key';

type ResponseFormat = 'json_schema' | 'json_object';

interface TurnOutcome {
  text: string;
  finishReason: string | null;
  usage: CompletionUsage;
}

export class OpenAiProvider implements LlmProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  private readonly config: LlmConfig;
  private readonly log: Logger;
  private readonly env: Readonly<Record<string, string | undefined>>;
  private readonly retryOptions: OpenAiProviderOptions['retry'];
  private readonly probeTimeoutMs: number;
  private client: OpenAI | undefined;
  private readonly redactor: Redactor;
  /** DESIGN §7: prompts bound for a server off this machine are redacted before they leave. */
  private readonly remote: boolean;
  private starting: Promise<void> | undefined;
  /** Flips to json_object, for the life of this instance, once the server rejects json_schema. */
  private responseFormat: ResponseFormat = 'json_schema';

  constructor(options: OpenAiProviderOptions) {
    this.config = options.config;
    this.model = options.config.model;
    this.log = options.log;
    this.env = options.env ?? process.env;
    this.retryOptions = options.retry;
    this.redactor = createRedactor(configuredSecrets(options.config, this.env));
    this.remote = !isLoopbackUrl(options.config.api_url);
    this.probeTimeoutMs = options.probeTimeoutMs ?? Math.min(options.config.timeout_s * 1000, 15_000);
  }

  /** The response format in use: json_schema until the server has rejected it once. */
  get structuredOutputMode(): ResponseFormat {
    return this.responseFormat;
  }

  start(): Promise<void> {
    // A failed start is not cached, so a later call can find the server up.
    this.starting ??= this.probe().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });
    return this.starting;
  }

  async stop(): Promise<void> {
    this.starting = undefined;
    this.client = undefined;
  }

  /** The model lives in the server's memory, not ours: nothing to free here. */
  /** A server reports no trained context: `auto` is the stated fallback (context-sizing.ts). */
  get sizingNow(): ContextSizing {
    return resolveSizing(this.config, null);
  }

  sizing(): Promise<ContextSizing> {
    return Promise.resolve(this.sizingNow);
  }

  async freeMemory(): Promise<boolean> {
    return false;
  }

  async complete<T>(request: CompletionRequest<T>): Promise<CompletionResult<T>> {
    await this.start();
    const started = Date.now();
    const first = await this.turn(request, request.messages);
    let usage = first.usage;
    try {
      return this.result(request.schema, first.text, first.usage, 1);
    } catch (error) {
      if (!isLlmError(error, 'invalid_output')) throw error;
      if (first.finishReason === 'length') {
        throw new LlmError(
          'invalid_output',
          `the model's reply to ${request.schema.name} was cut off at ${request.options.maxTokens} tokens (llm.max_tokens) before the JSON was complete`,
          { cause: error },
        );
      }
      this.log.warn(
        { schema: request.schema.name, model: this.model, error: error.message },
        'invalid structured reply; asking the model to repair it',
      );
      const repairMessages: ChatMessage[] = [
        ...request.messages,
        { role: 'assistant', content: first.text },
        { role: 'user', content: repairInstruction(request.schema, error.message) },
      ];
      const second = await this.turn(request, repairMessages);
      usage = addUsage(usage, second.usage, Date.now() - started);
      try {
        return this.result(request.schema, second.text, usage, 2);
      } catch (repairError) {
        if (!isLlmError(repairError, 'invalid_output')) throw repairError;
        throw new LlmError('invalid_output', `${repairError.message} (still wrong after one repair turn)`, {
          cause: repairError,
        });
      }
    }
  }

  private result<T>(
    schema: StructuredSchema<T>,
    text: string,
    usage: CompletionUsage,
    turns: number,
  ): CompletionResult<T> {
    const value = parseStructuredReply(schema, text);
    return { value, rawText: text, usage, provider: 'openai', model: this.model, turns };
  }

  private async probe(): Promise<void> {
    const client = this.ensureClient();
    const ctx = this.errorContext(this.probeTimeoutMs);
    const ids = await withRetry(
      this.policy(),
      async () => {
        try {
          const page = await client.models.list({ timeout: this.probeTimeoutMs });
          return page.data.map((m) => m.id);
        } catch (error) {
          // Some servers have no /models route; that is not a reason to refuse to work.
          if (error instanceof OpenAI.NotFoundError) return undefined;
          throw toLlmError(error, ctx);
        }
      },
      this.retryDeps(),
    );
    if (ids === undefined) {
      this.log.warn(
        { url: this.config.api_url },
        'the server has no GET /models; cannot check that the model is loaded',
      );
      return;
    }
    if (!ids.includes(this.model)) {
      const available = ids.length === 0 ? 'none' : ids.join(', ');
      throw new LlmError(
        'permanent',
        `model ${this.model} is not loaded on the OpenAI-compatible server at ${this.config.api_url}; available: ${available} — load it there or set llm.model`,
      );
    }
    this.log.info({ url: this.config.api_url, model: this.model }, 'OpenAI-compatible server reachable');
  }

  private async turn<T>(request: CompletionRequest<T>, messages: ChatMessage[]): Promise<TurnOutcome> {
    const timeoutMs = request.options.timeoutMs ?? this.config.timeout_s * 1000;
    return withRetry(
      this.policy(),
      async () => {
        // The SDK's own timeout stops at the response headers; this deadline covers the whole reply,
        // so a stream that stalls half-way is caught too.
        const deadline = new AbortController();
        const timer = setTimeout(() => deadline.abort(new Error('timeout')), timeoutMs);
        const ctx = this.errorContext(timeoutMs, request.options.signal, deadline.signal);
        try {
          for (;;) {
            const format = this.responseFormat;
            try {
              return await this.send(request, messages, format, timeoutMs, deadline.signal);
            } catch (error) {
              if (isJsonSchemaRejection(error)) {
                if (format === 'json_schema') {
                  this.responseFormat = 'json_object';
                  this.log.warn(
                    { url: this.config.api_url },
                    'the server rejected response_format json_schema; using json_object with validation from now on',
                  );
                  continue;
                }
                throw new LlmError(
                  'permanent',
                  `the OpenAI-compatible server at ${this.config.api_url} rejects both response_format json_schema and json_object (${this.redactor.text(rootCauseMessage(error))}); Nocturnal needs JSON output — use a server with JSON mode (LM Studio, llama-server, Ollama, vLLM) or llm.provider: llama`,
                  { cause: error },
                );
              }
              throw toLlmError(error, ctx);
            }
          }
        } finally {
          clearTimeout(timer);
        }
      },
      { ...this.retryDeps(), ...(request.options.signal === undefined ? {} : { signal: request.options.signal }) },
    );
  }

  private async send<T>(
    request: CompletionRequest<T>,
    messages: ChatMessage[],
    format: ResponseFormat,
    timeoutMs: number,
    deadline: AbortSignal,
  ): Promise<TurnOutcome> {
    const client = this.ensureClient();
    const { options, schema } = request;
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: toSdkMessages(
        format === 'json_object' ? withSchemaInstruction(messages, schema) : messages,
        this.remote ? this.redactor : null,
      ),
      max_tokens: options.maxTokens,
      temperature: options.temperature,
      response_format:
        format === 'json_schema'
          ? { type: 'json_schema', json_schema: { name: schema.name, strict: true, schema: { ...schema.jsonSchema } } }
          : { type: 'json_object' },
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.stop === undefined || options.stop.length === 0 ? {} : { stop: options.stop }),
    };
    const requestOptions = {
      timeout: timeoutMs,
      signal: options.signal === undefined ? deadline : AbortSignal.any([options.signal, deadline]),
    };
    const started = Date.now();
    let text: string;
    let finishReason: string | null;
    let reported: ServerUsage | null | undefined;
    let firstChunkAt: number | undefined;
    const onTextChunk = options.onTextChunk;
    if (onTextChunk === undefined) {
      const completion: ChatCompletion = await client.chat.completions.create(body, requestOptions);
      const choice = completion.choices[0];
      text = choice?.message.content ?? '';
      finishReason = choice?.finish_reason ?? null;
      reported = completion.usage;
    } else {
      // Streamed for live progress; usage comes in a last chunk where the server honours include_usage.
      const stream = await client.chat.completions.create(
        { ...body, stream: true, stream_options: { include_usage: true } },
        requestOptions,
      );
      text = '';
      finishReason = null;
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const piece = choice?.delta.content;
        if (typeof piece === 'string' && piece !== '') {
          firstChunkAt ??= Date.now();
          text += piece;
          onTextChunk(piece);
        }
        if (choice?.finish_reason !== undefined && choice.finish_reason !== null) finishReason = choice.finish_reason;
        if (chunk.usage !== undefined && chunk.usage !== null) reported = chunk.usage;
      }
    }
    const timing = {
      durationMs: Date.now() - started,
      ...(firstChunkAt === undefined ? {} : { timeToFirstTokenMs: firstChunkAt - started }),
    };
    const usage = usageFrom(reported, body.messages, text, timing);
    this.log.debug(
      { schema: schema.name, model: this.model, format, streamed: onTextChunk !== undefined, ...usage },
      'model call finished',
    );
    return { text, finishReason, usage };
  }

  private ensureClient(): OpenAI {
    if (this.client !== undefined) return this.client;
    const keyVar = this.config.api_key_env;
    let apiKey = keylessServerApiKey;
    if (keyVar !== null) {
      const value = this.env[keyVar];
      if (value === undefined || value === '') {
        throw new LlmError('permanent', `llm.api_key_env names ${keyVar}, but that environment variable is not set`);
      }
      apiKey = value;
    }
    this.client = new OpenAI({
      baseURL: this.config.api_url,
      apiKey,
      // Never pick organisation/project up from the environment: the config is the source of truth.
      organization: null,
      project: null,
      maxRetries: 0,
      timeout: this.config.timeout_s * 1000,
    });
    return this.client;
  }

  private policy(): RetryPolicy {
    return {
      maxRetries: this.config.max_retries,
      baseDelayMs: this.retryOptions?.baseDelayMs ?? defaultRetryTiming.baseDelayMs,
      maxDelayMs: this.retryOptions?.maxDelayMs ?? defaultRetryTiming.maxDelayMs,
    };
  }

  private retryDeps(): RetryDeps {
    return {
      ...(this.retryOptions?.sleep === undefined ? {} : { sleep: this.retryOptions.sleep }),
      ...(this.retryOptions?.random === undefined ? {} : { random: this.retryOptions.random }),
      onRetry: ({ attempt, delayMs, error }) =>
        this.log.warn({ attempt, delayMs, kind: error.kind, error: error.message }, 'model call failed; retrying'),
    };
  }

  private errorContext(timeoutMs: number, signal?: AbortSignal, deadline?: AbortSignal): OpenAiErrorContext {
    return {
      url: this.config.api_url,
      model: this.model,
      timeoutMs,
      redactor: this.redactor,
      ...(signal === undefined ? {} : { signal }),
      ...(deadline === undefined ? {} : { deadline }),
    };
  }
}

function toSdkMessages(messages: ChatMessage[], redactor: Redactor | null): ChatCompletionMessageParam[] {
  return messages.map((m) => ({ role: m.role, content: redactor ? redactor.text(m.content) : m.content }));
}

// In json_object mode the server no longer knows the shape, so the prompt must carry it.
function withSchemaInstruction<T>(messages: ChatMessage[], schema: StructuredSchema<T>): ChatMessage[] {
  const instruction = schemaInstruction(schema);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}
