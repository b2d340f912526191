// The OpenAI provider against a real HTTP server on 127.0.0.1 (the loopback server), covering the
// failure modes a user meets with LM Studio & co: retries, timeouts, repair turns, the json_object
// fallback, an unreachable server and a model that is not loaded.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { LlmConfig } from '../../../src-shared/config/schema';
import { silentLogger } from '../log/logger';
import { LlmError } from './llm-error';
import { OpenAiProvider } from './openai-provider';
import { editsSchema, reviewSchema } from './protocol';
import type { ChatMessage, CompletionOptions } from './provider';
import { startLoopbackOpenAiServer } from './testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from './testing/loopback-openai-server';

const servers: LoopbackOpenAiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function server(options: Parameters<typeof startLoopbackOpenAiServer>[0] = {}): Promise<LoopbackOpenAiServer> {
  const s = await startLoopbackOpenAiServer({ models: ['m'], ...options });
  servers.push(s);
  return s;
}

function provider(url: string, overrides: Partial<LlmConfig> = {}, env: Record<string, string> = {}): OpenAiProvider {
  const config: LlmConfig = {
    ...defaultConfig().llm,
    provider: 'openai',
    api_url: url,
    model: 'm',
    max_retries: 2,
    timeout_s: 30,
    ...overrides,
  };
  // No real waiting between retries: the policy is under test, not the clock.
  return new OpenAiProvider({ config, log: silentLogger(), env, retry: { sleep: async () => undefined } });
}

const messages: ChatMessage[] = [
  { role: 'system', content: 'You review code changes.' },
  { role: 'user', content: 'Review this diff: +const a = 1;' },
];
const options: CompletionOptions = { maxTokens: 256, temperature: 0.2, seed: 7 };
const review = { score: 0.9, verdict: 'approve', issues: [] };

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

describe('OpenAiProvider', () => {
  it('sends a strict json_schema request and returns the validated value with the server usage', async () => {
    const s = await server();
    s.enqueue({ content: review, usage: { prompt_tokens: 40, completion_tokens: 12, cached_tokens: 32 } });
    const p = provider(s.url);
    await p.start();
    const result = await p.complete({ messages, schema: reviewSchema, options });

    expect(result.value).toEqual(review);
    expect(result).toMatchObject({ provider: 'openai', model: 'm', turns: 1, rawText: JSON.stringify(review) });
    expect(result.usage).toMatchObject({ promptTokens: 40, completionTokens: 12, cachedTokens: 32 });
    expect(result.usage.estimated).toBeUndefined();
    const body = s.chatRequests[0]?.body;
    expect(body?.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'nocturnal_review', strict: true, schema: reviewSchema.jsonSchema },
    });
    expect(body).toMatchObject({ model: 'm', max_tokens: 256, temperature: 0.2, seed: 7, messages });
    expect(s.chatRequests[0]?.headers.authorization).toBe('Bearer sk-local-no-key');
  });

  it('reads the API key from the environment variable llm.api_key_env names', async () => {
    const s = await server();
    s.enqueue({ content: review });
    const p = provider(s.url, { api_key_env: 'NOCTURNAL_TEST_KEY' }, { NOCTURNAL_TEST_KEY: 'sk-test-123' });
    await p.complete({ messages, schema: reviewSchema, options });
    expect(s.requests.every((r) => r.headers.authorization === 'Bearer sk-test-123')).toBe(true);
  });

  it('refuses to start when the key variable is not set', async () => {
    const s = await server();
    const error = await failure(provider(s.url, { api_key_env: 'NOCTURNAL_MISSING_KEY' }).start());
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('NOCTURNAL_MISSING_KEY');
  });

  it('retries a 500 and then succeeds', async () => {
    const s = await server();
    s.enqueue({ status: 500, message: 'model crashed' }, { content: review });
    const result = await provider(s.url).complete({ messages, schema: reviewSchema, options });
    expect(result.value).toEqual(review);
    expect(s.chatRequests).toHaveLength(2);
  });

  it('gives up after max_retries with a transient error that quotes the server', async () => {
    const s = await server();
    s.enqueue(
      { status: 429, message: 'busy' },
      { status: 429, message: 'busy' },
      { status: 429, message: 'still busy' },
    );
    const error = await failure(
      provider(s.url, { max_retries: 2 }).complete({ messages, schema: reviewSchema, options }),
    );
    expect(error.kind).toBe('transient');
    expect(error.message).toMatch(/429.*still busy/);
    expect(s.chatRequests).toHaveLength(3);
  });

  it('does not retry a plain 400', async () => {
    const s = await server();
    s.enqueue({ status: 400, message: 'temperature must be at most 2' });
    const error = await failure(provider(s.url).complete({ messages, schema: reviewSchema, options }));
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('temperature must be at most 2');
    expect(s.chatRequests).toHaveLength(1);
  });

  it('turns a hanging server into a timeout error after timeoutMs', async () => {
    const s = await server();
    s.enqueue({ hang: true });
    const error = await failure(
      provider(s.url, { max_retries: 0 }).complete({
        messages,
        schema: reviewSchema,
        options: { ...options, timeoutMs: 300 },
      }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain(`no reply from the OpenAI-compatible server at ${s.url}`);
  });

  it('retries after a timeout', async () => {
    const s = await server();
    s.enqueue({ hang: true }, { content: review });
    const result = await provider(s.url).complete({
      messages,
      schema: reviewSchema,
      options: { ...options, timeoutMs: 300 },
    });
    expect(result.value).toEqual(review);
    expect(s.chatRequests).toHaveLength(2);
  });

  it('stops with an aborted error when the caller aborts', async () => {
    const s = await server();
    s.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = provider(s.url).complete({
      messages,
      schema: reviewSchema,
      options: { ...options, signal: controller.signal },
    });
    // Abort once the server has the request in hand, not on a timer.
    await until(() => s.chatRequests.length === 1);
    controller.abort();
    const error = await failure(pending);
    expect(error.kind).toBe('aborted');
  });

  it('repairs malformed JSON with one extra turn that quotes the problem', async () => {
    const s = await server();
    const edits = {
      summary: 'rename',
      edits: [{ action: 'write', path: 'src/a.ts', content: 'export const a = 1;\n' }],
    };
    s.enqueue({ content: '{"summary": "rename", "edits": [' }, { content: edits });
    const result = await provider(s.url).complete({ messages, schema: editsSchema, options });

    expect(result.value).toEqual(edits);
    expect(result.turns).toBe(2);
    const repair = s.chatRequests[1]?.body.messages ?? [];
    expect(repair.slice(0, 2)).toEqual(messages);
    expect(repair[2]).toEqual({ role: 'assistant', content: '{"summary": "rename", "edits": [' });
    expect(repair[3]?.role).toBe('user');
    expect(repair[3]?.content).toContain('did not match nocturnal_edits: it is not valid JSON');
    // Usage covers both turns.
    expect(result.usage.promptTokens).toBeGreaterThan(0);
  });

  it('names the failing field when validation fails, and fails after one repair turn', async () => {
    const s = await server();
    s.enqueue(
      { content: { summary: 'x', edits: [{ action: 'write', path: 7, content: '' }] } },
      { content: { summary: 'x' } },
    );
    const error = await failure(provider(s.url).complete({ messages, schema: editsSchema, options }));

    expect(error.kind).toBe('invalid_output');
    expect(error.message).toContain("the model's reply did not match nocturnal_edits: edits: ");
    expect(error.message).toContain('after one repair turn');
    expect(s.chatRequests[1]?.body.messages?.at(-1)?.content).toContain(
      'edits[0].path: Invalid input: expected string',
    );
    expect(s.chatRequests).toHaveLength(2);
  });

  it('does not try to repair a reply that was cut off at max_tokens', async () => {
    const s = await server();
    s.enqueue({ content: '{"score": 0.5, "verdict": "rev', finishReason: 'length' });
    const error = await failure(provider(s.url).complete({ messages, schema: reviewSchema, options }));
    expect(error.kind).toBe('invalid_output');
    expect(error.message).toContain('cut off at 256 tokens');
    expect(s.chatRequests).toHaveLength(1);
  });

  it('falls back to json_object when the server rejects json_schema, and remembers it', async () => {
    const s = await server({ rejectJsonSchema: true });
    s.enqueue({ content: review }, { content: review });
    const p = provider(s.url);
    expect((await p.complete({ messages, schema: reviewSchema, options })).value).toEqual(review);
    expect((await p.complete({ messages, schema: reviewSchema, options })).value).toEqual(review);

    expect(s.chatRequests.map((r) => r.body.response_format?.type)).toEqual([
      'json_schema',
      'json_object',
      'json_object',
    ]);
    expect(p.structuredOutputMode).toBe('json_object');
    // Without server-side enforcement the prompt carries the schema.
    const system = s.chatRequests[1]?.body.messages?.[0];
    expect(system?.role).toBe('system');
    expect(system?.content).toContain('You review code changes.');
    expect(system?.content).toContain('nocturnal_review');
    expect(system?.content).toContain(JSON.stringify(reviewSchema.jsonSchema));
  });

  it('falls back on a scripted json_schema rejection too', async () => {
    const s = await server();
    s.enqueue(
      { rejectJsonSchema: true },
      { content: '```json\n{"score": 0.4, "verdict": "revise", "issues": ["no tests"]}\n```' },
    );
    const result = await provider(s.url).complete({ messages, schema: reviewSchema, options });
    expect(result.value).toEqual({ score: 0.4, verdict: 'revise', issues: ['no tests'] });
    expect(s.chatRequests.map((r) => r.body.response_format?.type)).toEqual(['json_schema', 'json_object']);
  });

  it('estimates usage when the server reports none', async () => {
    const s = await server();
    s.enqueue({ content: review, omitUsage: true });
    const result = await provider(s.url).complete({ messages, schema: reviewSchema, options });
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.promptTokens).toBeGreaterThan(0);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
  });

  it('streams the reply for live progress when onTextChunk is given, with the usage from the last chunk', async () => {
    const s = await server();
    s.enqueue({ content: review, usage: { prompt_tokens: 40, completion_tokens: 12, cached_tokens: 8 } });
    const chunks: string[] = [];
    const result = await provider(s.url).complete({
      messages,
      schema: reviewSchema,
      options: { ...options, onTextChunk: (c) => chunks.push(c) },
    });

    expect(result.value).toEqual(review);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join('')).toBe(JSON.stringify(review));
    expect(result.usage).toMatchObject({ promptTokens: 40, completionTokens: 12, cachedTokens: 8 });
    expect(result.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(result.usage.estimated).toBeUndefined();
    expect(s.chatRequests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(s.chatRequests[0]?.body.response_format?.type).toBe('json_schema');
  });

  it('counts usage itself when a streaming server sends none, and repairs a streamed reply', async () => {
    const s = await server();
    s.enqueue(
      { content: '{"score": 2, "verdict": "approve", "issues": []}', omitUsage: true },
      { content: review, omitUsage: true },
    );
    const chunks: string[] = [];
    const result = await provider(s.url).complete({
      messages,
      schema: reviewSchema,
      options: { ...options, onTextChunk: (c) => chunks.push(c) },
    });
    expect(result.value).toEqual(review);
    expect(result.turns).toBe(2);
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.completionTokens).toBeGreaterThan(0);
    // Both turns' text went to the progress listener, one after the other.
    expect(chunks.join('')).toBe('{"score": 2, "verdict": "approve", "issues": []}' + JSON.stringify(review));
    expect(s.chatRequests[1]?.body.messages?.at(-1)?.content).toContain('score: Too big: expected number to be <=1');
  });

  it('times out a streamed reply that stalls half-way, then retries it', async () => {
    const s = await server();
    s.enqueue({ content: review, stallAfterChunks: 1 }, { content: review });
    const chunks: string[] = [];
    const result = await provider(s.url, { max_retries: 1 }).complete({
      messages,
      schema: reviewSchema,
      options: { ...options, timeoutMs: 300, onTextChunk: (c) => chunks.push(c) },
    });
    expect(result.value).toEqual(review);
    expect(s.chatRequests).toHaveLength(2);
    expect(chunks[0]).toBe(JSON.stringify(review).slice(0, 16));
  });

  it('stops a streamed reply when the caller aborts mid-stream', async () => {
    const s = await server();
    s.enqueue({ content: review, stallAfterChunks: 1 });
    const controller = new AbortController();
    const error = await failure(
      provider(s.url).complete({
        messages,
        schema: reviewSchema,
        options: { ...options, signal: controller.signal, onTextChunk: () => controller.abort() },
      }),
    );
    expect(error.kind).toBe('aborted');
    expect(s.chatRequests).toHaveLength(1);
  });

  it('times out a plain reply whose body stalls after the headers', async () => {
    const s = await server();
    s.enqueue({ content: review, stallAfterChunks: 1 });
    const error = await failure(
      provider(s.url, { max_retries: 0 }).complete({
        messages,
        schema: reviewSchema,
        options: { ...options, timeoutMs: 300 },
      }),
    );
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(
      `no reply from the OpenAI-compatible server at ${s.url} within 0.3s (llm.timeout_s); the model may be too slow for this prompt or the server is stuck`,
    );
  });

  it('surfaces a refused API key at once, without retrying', async () => {
    const s = await server();
    s.enqueue({ status: 401, message: 'Incorrect API key provided' });
    const error = await failure(
      provider(s.url, { max_retries: 3 }).complete({ messages, schema: reviewSchema, options }),
    );
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(
      `the OpenAI-compatible server at ${s.url} answered 401: the API key was refused — set the environment variable named by llm.api_key_env (Incorrect API key provided)`,
    );
    expect(s.chatRequests).toHaveLength(1);
  });

  it('surfaces a model the server does not have at once, without retrying', async () => {
    const s = await server();
    s.enqueue({ status: 404, message: 'The model `m` does not exist' });
    const error = await failure(
      provider(s.url, { max_retries: 3 }).complete({ messages, schema: reviewSchema, options }),
    );
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(
      `model m is not loaded on the server at ${s.url} (The model \`m\` does not exist) — load it there or change llm.model`,
    );
    expect(s.chatRequests).toHaveLength(1);
  });

  it('says what to do when the server has no JSON output mode at all', async () => {
    const s = await server();
    s.enqueue(
      { rejectJsonSchema: true },
      { status: 400, message: "'response_format' is not supported by this server" },
    );
    const error = await failure(
      provider(s.url, { max_retries: 3 }).complete({ messages, schema: reviewSchema, options }),
    );
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('rejects both response_format json_schema and json_object');
    expect(error.message).toContain(
      'use a server with JSON mode (LM Studio, llama-server, Ollama, vLLM) or llm.provider: llama',
    );
    expect(s.chatRequests).toHaveLength(2);
  });

  it('has no memory of its own to free', async () => {
    const s = await server();
    expect(await provider(s.url).freeMemory()).toBe(false);
  });

  it('says clearly that nothing listens when the server is not running', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    const error = await failure(provider(url, { max_retries: 1 }).start());
    expect(error.kind).toBe('transient');
    expect(error.message).toBe(
      `cannot reach the OpenAI-compatible server at ${url}: connection refused — is LM Studio (or your server) running, and is llm.api_url right?`,
    );
  });

  it('names the missing model and lists the loaded ones', async () => {
    const s = await server({ models: ['qwen2.5-coder-7b', 'llama-3.1-8b'] });
    const error = await failure(provider(s.url, { model: 'codellama-13b-instruct' }).start());
    expect(error.kind).toBe('permanent');
    expect(error.message).toContain('model codellama-13b-instruct is not loaded');
    expect(error.message).toContain('available: qwen2.5-coder-7b, llama-3.1-8b');
  });

  it('starts lazily on the first call and probes only once', async () => {
    const s = await server();
    s.enqueue({ content: review }, { content: review });
    const p = provider(s.url);
    await p.complete({ messages, schema: reviewSchema, options });
    await p.complete({ messages, schema: reviewSchema, options });
    expect(s.requests.filter((r) => r.path === '/v1/models')).toHaveLength(1);
  });
});

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}
