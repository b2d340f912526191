// The embedded provider with the real node-llama-cpp binding and the tiny random-weight GGUF from
// scripts/ (DESIGN §10). The model talks nonsense, but the grammar makes every reply valid JSON of the
// requested shape, which is exactly what these tests check, along with abort, the context guard and
// parallel sequences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { LlmConfig } from '../../../src-shared/config/schema';
import { silentLogger } from '../log/logger';
import { LlamaProvider, splitMessages } from './llama-provider';
import { LlmError } from './llm-error';
import { editsSchema, reviewSchema, reviewVerdicts, specSchema } from './protocol';
import type { StructuredSchema } from './protocol';
import type { ChatMessage, CompletionOptions } from './provider';
import { z } from 'zod';

let modelPath: string;
let provider: LlamaProvider;

function config(overrides: Partial<LlmConfig> = {}): LlmConfig {
  // threads: 1 — on a 2-core machine the default thread count makes the tiny model crawl.
  return { ...defaultConfig().llm, provider: 'llama', model_path: modelPath, gpu: false, threads: 1, context_size: 1024, ...overrides };
}

beforeAll(async () => {
  modelPath = await ensureTinyModel();
  provider = new LlamaProvider({ config: config(), log: silentLogger(), sequences: 2 });
  await provider.start();
});

afterAll(async () => {
  await provider.stop();
});

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a careful code reviewer. Reply with JSON.' },
  { role: 'user', content: 'Review this diff:\n+export const answer = 42;\n' },
];
const options: CompletionOptions = { maxTokens: 300, temperature: 0.8 };

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

// A schema whose one string must be long, so that generation is guaranteed to still be running when
// the test reacts to the first chunk of text.
const longSchema: StructuredSchema<{ text: string }> = {
  name: 'nocturnal_test_long',
  jsonSchema: { type: 'object', properties: { text: { type: 'string', minLength: 600, maxLength: 600 } }, required: ['text'], additionalProperties: false },
  parse: z.object({ text: z.string() }),
};

describe('LlamaProvider with the tiny model', () => {
  it('loads lazily and reports the model file name', async () => {
    const lazy = new LlamaProvider({ config: config(), log: silentLogger() });
    expect(lazy.contextSize).toBeUndefined();
    expect(lazy.model).toBe('tiny-llama.gguf');
    await lazy.start();
    expect(lazy.contextSize).toBe(1024);
    await lazy.stop();
    await lazy.stop();
    expect(lazy.contextSize).toBeUndefined();
  });

  it('produces ten valid nocturnal_review replies', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const result = await provider.complete({ messages, schema: reviewSchema, options: { ...options, seed } });
      expect(result.value.score).toBeGreaterThanOrEqual(0);
      expect(result.value.score).toBeLessThanOrEqual(1);
      expect(reviewVerdicts).toContain(result.value.verdict);
      expect(JSON.parse(result.rawText)).toEqual(result.value);
      expect(result).toMatchObject({ provider: 'llama', model: 'tiny-llama.gguf', turns: 1 });
      expect(result.usage.promptTokens).toBeGreaterThan(0);
      expect(result.usage.completionTokens).toBeGreaterThan(0);
      expect(result.usage.promptTokens + result.usage.completionTokens).toBeLessThanOrEqual(1024);
    }
  });

  it('produces valid nocturnal_edits and nocturnal_spec replies', async () => {
    for (let seed = 0; seed < 4; seed++) {
      const edits = await provider.complete({ messages, schema: editsSchema, options: { ...options, seed } });
      expect(typeof edits.value.summary).toBe('string');
      expect(Array.isArray(edits.value.edits)).toBe(true);
      const spec = await provider.complete({ messages, schema: specSchema, options: { ...options, seed } });
      expect(Object.keys(spec.value).sort()).toEqual(['acceptance_criteria', 'files', 'plan', 'requirements']);
    }
  });

  it('never emits invalid UTF-8', async () => {
    for (let seed = 0; seed < 5; seed++) {
      const result = await provider.complete({ messages, schema: longSchema, options: { ...options, maxTokens: 700, seed } });
      expect(result.rawText).not.toContain('\uFFFD');
      expect(result.value.text).toHaveLength(600);
    }
  });

  it('is deterministic for a given seed', async () => {
    const a = await provider.complete({ messages, schema: reviewSchema, options: { ...options, seed: 42 } });
    const b = await provider.complete({ messages, schema: reviewSchema, options: { ...options, seed: 42 } });
    expect(b.rawText).toBe(a.rawText);
  });

  it('stops mid-generation when the signal aborts, and the sequence stays usable', async () => {
    const controller = new AbortController();
    const chunks: string[] = [];
    const error = await failure(
      provider.complete({
        messages,
        schema: longSchema,
        options: {
          ...options,
          maxTokens: 700,
          signal: controller.signal,
          onTextChunk: (chunk) => {
            chunks.push(chunk);
            controller.abort();
          },
        },
      }),
    );
    expect(error.kind).toBe('aborted');
    expect(chunks.join('').length).toBeLessThan(600);
    const after = await provider.complete({ messages, schema: reviewSchema, options });
    expect(reviewVerdicts).toContain(after.value.verdict);
  });

  it('turns a call that runs too long into a timeout error', async () => {
    let chunks = 0;
    const slow = provider.complete({
      messages,
      schema: longSchema,
      options: { ...options, maxTokens: 700, timeoutMs: 1, onTextChunk: () => chunks++ },
    });
    const error = await failure(slow);
    expect(error.kind).toBe('timeout');
    expect(chunks).toBeLessThan(600);
  });

  it('refuses a prompt that does not fit the context, before generating anything', async () => {
    const huge = 'lorem ipsum dolor sit amet '.repeat(60);
    const error = await failure(
      provider.complete({ messages: [{ role: 'user', content: huge }], schema: reviewSchema, options: { ...options, maxTokens: 300 } }),
    );
    expect(error.kind).toBe('context_overflow');
    expect(error.message).toMatch(/the prompt is \d+ tokens and the reply may take 300 more .* context of 1024 tokens \(llm.context_size\)/);
  });

  it('runs two completions at once on a two-sequence context, and queues a third', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((seed) => provider.complete({ messages, schema: reviewSchema, options: { ...options, seed } })),
    );
    for (const result of results) expect(reviewVerdicts).toContain(result.value.verdict);
  });

  it('keeps a conversation on its sequence so the shared prefix comes from the KV cache', async () => {
    const first = await provider.complete({ messages, schema: reviewSchema, options: { ...options, seed: 3 }, conversationId: 'attempt-1' });
    const second = await provider.complete({
      messages: [...messages, { role: 'assistant', content: first.rawText }, { role: 'user', content: 'Be stricter.' }],
      schema: reviewSchema,
      options: { ...options, seed: 4 },
      conversationId: 'attempt-1',
    });
    expect(second.usage.cachedTokens).toBeGreaterThanOrEqual(first.usage.promptTokens);
    expect(second.usage.promptTokens).toBeGreaterThan(first.usage.promptTokens);
  });

  it('refuses a context larger than the model was trained for', async () => {
    const big = new LlamaProvider({ config: config({ context_size: 8192 }), log: silentLogger() });
    const error = await failure(big.start());
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe('llm.context_size is 8192 but tiny-llama.gguf was trained for 4096 tokens; set llm.context_size to at most 4096');
  });

  it('says so when llm.model_path is not set or the file is missing', async () => {
    const unset = await failure(new LlamaProvider({ config: config({ model_path: null }), log: silentLogger() }).start());
    expect(unset.kind).toBe('permanent');
    expect(unset.message).toMatch(/^llm.model_path is not set: /);
    const missing = await failure(new LlamaProvider({ config: config({ model_path: '/nonexistent/model.gguf' }), log: silentLogger() }).start());
    expect(missing.message).toContain('the model file /nonexistent/model.gguf');
  });
});

describe('splitMessages', () => {
  it('turns chat messages into a system prompt, history and the final user prompt', () => {
    const split = splitMessages([
      { role: 'system', content: 's' },
      { role: 'user', content: 'u1' },
      { role: 'user', content: 'u1b' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'u2' },
    ]);
    expect(split).toEqual({
      system: 's',
      history: [
        { type: 'user', text: 'u1\n\nu1b' },
        { type: 'model', response: ['a1'] },
      ],
      prompt: 'u2',
    });
  });

  it('rejects conversations that do not end with the user', () => {
    expect(() => splitMessages([{ role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }])).toThrow(/user message last/);
    expect(() => splitMessages([{ role: 'user', content: 'u' }, { role: 'system', content: 's' }, { role: 'user', content: 'v' }])).toThrow(
      /system message may only come first/,
    );
  });
});
