// The provider for any OpenAI-compatible server (LM Studio, Ollama, llama-server, vLLM, OpenAI).
// Structured output uses `response_format: json_schema` (strict); a server that rejects it is asked
// for `json_object` instead, from then on, with the schema spelled out in the prompt. Every reply is
// validated with zod; an invalid one gets exactly one repair turn. Retries (connection refused, 429,
// 5xx, timeouts) happen here with our backoff policy; the SDK itself never retries.
import { OpenAI } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { LlmConfig } from '../../../src-shared/config/schema';
import type { Logger } from '../log/logger';
import { LlmError, isLlmError } from './llm-error';
import { isJsonSchemaRejection, toLlmError } from './openai-errors';
import type { OpenAiErrorContext } from './openai-errors';
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
const placeholderApiKey = 'sk-local-no-key';

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
  private starting: Promise<void> | undefined;
  /** Flips to json_object, for the life of this instance, once the server rejects json_schema. */
  private responseFormat: ResponseFormat = 'json_schema';

  constructor(options: OpenAiProviderOptions) {
    this.config = options.config;
    this.model = options.config.model;
    this.log = options.log;
    this.env = options.env ?? process.env;
    this.retryOptions = options.retry;
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
      this.log.warn({ schema: request.schema.name, model: this.model, error: error.message }, 'invalid structured reply; asking the model to repair it');
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
        throw new LlmError('invalid_output', `${repairError.message} (still wrong after one repair turn)`, { cause: repairError });
      }
    }
  }

  private result<T>(schema: StructuredSchema<T>, text: string, usage: CompletionUsage, turns: number): CompletionResult<T> {
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
      this.log.warn({ url: this.config.api_url }, 'the server has no GET /models; cannot check that the model is loaded');
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
    const ctx = this.errorContext(timeoutMs, request.options.signal);
    return withRetry(
      this.policy(),
      async () => {
        for (;;) {
          const format = this.responseFormat;
          try {
            return await this.send(request, messages, format, timeoutMs);
          } catch (error) {
            if (format === 'json_schema' && isJsonSchemaRejection(error)) {
              this.responseFormat = 'json_object';
              this.log.warn({ url: this.config.api_url }, 'the server rejected response_format json_schema; using json_object with validation from now on');
              continue;
            }
            throw toLlmError(error, ctx);
          }
        }
      },
      { ...this.retryDeps(), signal: request.options.signal },
    );
  }

  private async send<T>(request: CompletionRequest<T>, messages: ChatMessage[], format: ResponseFormat, timeoutMs: number): Promise<TurnOutcome> {
    const client = this.ensureClient();
    const { options, schema } = request;
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.model,
      messages: toSdkMessages(format === 'json_object' ? withSchemaInstruction(messages, schema) : messages),
      max_tokens: options.maxTokens,
      temperature: options.temperature,
      response_format:
        format === 'json_schema'
          ? { type: 'json_schema', json_schema: { name: schema.name, strict: true, schema: { ...schema.jsonSchema } } }
          : { type: 'json_object' },
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.stop === undefined || options.stop.length === 0 ? {} : { stop: options.stop }),
    };
    const started = Date.now();
    const completion: ChatCompletion = await client.chat.completions.create(body, {
      timeout: timeoutMs,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const durationMs = Date.now() - started;
    const choice = completion.choices[0];
    const text = choice?.message.content ?? '';
    options.onTextChunk?.(text);
    const usage = usageFrom(completion, body.messages, text, durationMs);
    this.log.debug({ schema: schema.name, model: this.model, format, ...usage }, 'model call finished');
    return { text, finishReason: choice?.finish_reason ?? null, usage };
  }

  private ensureClient(): OpenAI {
    if (this.client !== undefined) return this.client;
    const keyVar = this.config.api_key_env;
    let apiKey = placeholderApiKey;
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

  private errorContext(timeoutMs: number, signal?: AbortSignal): OpenAiErrorContext {
    return { url: this.config.api_url, model: this.model, timeoutMs, ...(signal === undefined ? {} : { signal }) };
  }
}

function toSdkMessages(messages: ChatMessage[]): ChatCompletionMessageParam[] {
  return messages.map((m) => ({ role: m.role, content: m.content }));
}

// In json_object mode the server no longer knows the shape, so the prompt must carry it.
function withSchemaInstruction<T>(messages: ChatMessage[], schema: StructuredSchema<T>): ChatMessage[] {
  const instruction = schemaInstruction(schema);
  const [first, ...rest] = messages;
  if (first?.role === 'system') return [{ role: 'system', content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: 'system', content: instruction }, ...messages];
}

function usageFrom(completion: ChatCompletion, messages: ChatCompletionMessageParam[], text: string, durationMs: number): CompletionUsage {
  const u = completion.usage;
  if (u === undefined) {
    return {
      promptTokens: estimateTokens(JSON.stringify(messages)),
      completionTokens: estimateTokens(text),
      cachedTokens: 0,
      durationMs,
      estimated: true,
    };
  }
  return {
    promptTokens: u.prompt_tokens,
    completionTokens: u.completion_tokens,
    cachedTokens: u.prompt_tokens_details?.cached_tokens ?? 0,
    durationMs,
  };
}

function addUsage(a: CompletionUsage, b: CompletionUsage, durationMs: number): CompletionUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    durationMs,
    ...(a.estimated === true || b.estimated === true ? { estimated: true } : {}),
  };
}

// About four characters per token for English and code; only used when the server reports nothing.
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
