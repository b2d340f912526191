// The embedded provider with the real node-llama-cpp binding and the tiny random-weight GGUF from
// scripts/ (DESIGN §10). The model talks nonsense, but the grammar makes every reply valid JSON of the
// requested shape, which is exactly what these tests check, along with abort, the context guard and
// parallel sequences.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTinyModel } from '../../../scripts/tiny-model-fixture';
import { defaultConfig } from '../../../src-shared/config/schema';
import type { LlmConfig } from '../../../src-shared/config/schema';
import { silentLogger } from '../log/logger';
import { LlamaProvider } from './llama-provider';
import { LlmError } from './llm-error';
import { editsSchema, reviewSchema, reviewVerdicts, specSchema } from './protocol';
import type { StructuredSchema } from './protocol';
import type { ChatMessage, CompletionOptions } from './provider';
import { z } from 'zod';

let modelPath: string;
let provider: LlamaProvider;

function config(overrides: Partial<LlmConfig> = {}): LlmConfig {
  // threads: 1 — on a 2-core machine the default thread count makes the tiny model crawl.
  return {
    ...defaultConfig().llm,
    provider: 'llama',
    model_path: modelPath,
    gpu: false,
    threads: 1,
    context_size: 1024,
    ...overrides,
  };
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
  jsonSchema: {
    type: 'object',
    properties: { text: { type: 'string', minLength: 600, maxLength: 600 } },
    required: ['text'],
    additionalProperties: false,
  },
  parse: z.object({ text: z.string() }),
};

describe('LlamaProvider with the tiny model', () => {
  it('loads lazily with progress, honours gpu/threads, and frees memory on demand mid-call', async () => {
    const progress: number[] = [];
    const lazy = new LlamaProvider({ config: config(), log: silentLogger(), onLoadProgress: (p) => progress.push(p) });
    expect(lazy.contextSize).toBeUndefined();
    expect(lazy.info).toBeUndefined();
    expect(lazy.model).toBe('tiny-llama.gguf');
    expect(await lazy.freeMemory()).toBe(false);
    await lazy.start();
    // Rising, within (0, 1], ending in exactly one 1.
    expect(progress.at(-1)).toBe(1);
    expect(progress.filter((p) => p === 1)).toHaveLength(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.every((p) => p > 0 && p <= 1)).toBe(true);
    expect(lazy.info).toEqual({
      model: 'tiny-llama.gguf',
      modelPath,
      contextSize: 1024,
      trainContextSize: 4096,
      sequences: 1,
      gpu: false,
      threads: 1,
      chatWrapper: 'Llama2Chat',
      sizing: {
        contextSize: 1024,
        maxTokens: 256,
        source: 'llm.context_size 1024 (configured); llm.max_tokens auto: 256 (a quarter of it)',
      },
    });

    // "Free memory now" while a reply is being generated: the call ends as cancelled, the model goes.
    let freeing: Promise<boolean> | undefined;
    const error = await failure(
      lazy.complete({
        messages,
        schema: longSchema,
        options: { ...options, maxTokens: 700, onTextChunk: () => void (freeing ??= lazy.freeMemory()) },
      }),
    );
    expect(error.kind).toBe('aborted');
    expect(error.message).toBe('the model call was cancelled: the model was unloaded to free memory');
    expect(await freeing).toBe(true);
    expect(lazy.info).toBeUndefined();

    // The next call loads the model again by itself.
    const again = await lazy.complete({ messages, schema: reviewSchema, options });
    expect(reviewVerdicts).toContain(again.value.verdict);
    expect(progress.filter((p) => p === 1)).toHaveLength(2);
    await lazy.stop();
    await lazy.stop();
    expect(lazy.contextSize).toBeUndefined();

    // Freeing memory while the model is still loading cancels the load.
    const starting = lazy.start();
    expect(await lazy.freeMemory()).toBe(true);
    const cancelled = await failure(starting);
    expect(cancelled.kind).toBe('aborted');
    expect(cancelled.message).toMatch(/^loading the model was cancelled/);
    expect(lazy.info).toBeUndefined();
  });

  it("lays prompts out in the Llama-2 chat format that the model's own template names", () => {
    // The tiny model carries CodeLlama-Instruct's chat template (scripts/make-tiny-gguf.ts).
    expect(provider.info?.chatWrapper).toBe('Llama2Chat');
  });

  it('gets 20 of 20 schema-constrained replies that validate (10 nocturnal_review, 10 nocturnal_edits)', async () => {
    let valid = 0;
    for (let seed = 0; seed < 10; seed++) {
      const review = await provider.complete({ messages, schema: reviewSchema, options: { ...options, seed } });
      expect(reviewSchema.parse.safeParse(JSON.parse(review.rawText)).success).toBe(true);
      expect(review.value.score).toBeGreaterThanOrEqual(0);
      expect(review.value.score).toBeLessThanOrEqual(1);
      expect(reviewVerdicts).toContain(review.value.verdict);
      expect(JSON.parse(review.rawText)).toEqual(review.value);
      expect(review).toMatchObject({ provider: 'llama', model: 'tiny-llama.gguf', turns: 1 });
      expect(review.usage.promptTokens).toBeGreaterThan(0);
      expect(review.usage.completionTokens).toBeGreaterThan(0);
      expect(review.usage.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
      expect(review.usage.promptTokens + review.usage.completionTokens).toBeLessThanOrEqual(1024);
      valid++;

      const edits = await provider.complete({ messages, schema: editsSchema, options: { ...options, seed } });
      expect(editsSchema.parse.safeParse(JSON.parse(edits.rawText)).success).toBe(true);
      expect(typeof edits.value.summary).toBe('string');
      valid++;
    }
    expect(valid).toBe(20);
  });

  it('produces valid nocturnal_spec replies', async () => {
    for (let seed = 0; seed < 3; seed++) {
      const spec = await provider.complete({ messages, schema: specSchema, options: { ...options, seed } });
      expect(Object.keys(spec.value).sort()).toEqual(['acceptance_criteria', 'files', 'plan', 'requirements']);
    }
  });

  it('never emits invalid UTF-8', async () => {
    for (let seed = 0; seed < 5; seed++) {
      const result = await provider.complete({
        messages,
        schema: longSchema,
        options: { ...options, maxTokens: 700, seed },
      });
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
      provider.complete({
        messages: [{ role: 'user', content: huge }],
        schema: reviewSchema,
        options: { ...options, maxTokens: 300 },
      }),
    );
    expect(error.kind).toBe('context_overflow');
    expect(error.message).toMatch(
      /the prompt is \d+ tokens and the reply may take 300 more .* context of 1024 tokens \(llm.context_size\)/,
    );
  });

  it('generates on two sequences at once, and queues a third call until one is free', async () => {
    const events: string[] = [];
    const run = (name: string, seed: number) =>
      provider
        .complete({
          messages,
          schema: longSchema,
          options: { ...options, maxTokens: 700, seed, onTextChunk: () => events.push(name) },
        })
        .then((result) => {
          events.push(`${name} done`);
          return result;
        });
    const results = await Promise.all([run('a', 1), run('b', 2), run('c', 3)]);
    for (const result of results) expect(result.value.text).toHaveLength(600);
    // Both a and b produced text before either finished: they shared the loaded model at once.
    const firstDone = Math.min(events.indexOf('a done'), events.indexOf('b done'));
    expect(events.indexOf('a')).toBeLessThan(firstDone);
    expect(events.indexOf('b')).toBeLessThan(firstDone);
    // c only started once a sequence was free.
    expect(events.indexOf('c')).toBeGreaterThan(firstDone);
  });

  it('keeps a conversation on its sequence so the shared prefix comes from the KV cache', async () => {
    const first = await provider.complete({
      messages,
      schema: reviewSchema,
      options: { ...options, seed: 3 },
      conversationId: 'attempt-1',
    });
    const second = await provider.complete({
      messages: [...messages, { role: 'assistant', content: first.rawText }, { role: 'user', content: 'Be stricter.' }],
      schema: reviewSchema,
      options: { ...options, seed: 4 },
      conversationId: 'attempt-1',
    });
    expect(second.usage.cachedTokens).toBeGreaterThan(0);
    // All of the first prompt but its last token: the Llama-2 format ends a prompt with a space after
    // [/INST], which the later turn writes as part of the recorded reply instead.
    expect(second.usage.cachedTokens).toBeGreaterThanOrEqual(first.usage.promptTokens - 1);
    expect(second.usage.promptTokens).toBeGreaterThan(first.usage.promptTokens);
  });

  it('sizes llm.context_size auto from the model (its trained 4096 tokens fit) and max_tokens auto at a quarter', async () => {
    const auto = new LlamaProvider({
      config: config({ context_size: 'auto', max_tokens: 'auto' }),
      log: silentLogger(),
    });
    expect(auto.sizingNow).toBeUndefined();
    const sizing = await auto.sizing();
    expect(sizing).toEqual({
      contextSize: 4096,
      maxTokens: 1024,
      source: "llm.context_size auto: 4096, the model's trained context; llm.max_tokens auto: 1024 (a quarter of it)",
    });
    expect(auto.info).toMatchObject({ contextSize: 4096, trainContextSize: 4096, sizing });
    expect(auto.sizingNow).toEqual(sizing);
    await auto.stop();
    // A configured number is kept as it is.
    const fixed = new LlamaProvider({ config: config({ context_size: 2048, max_tokens: 300 }), log: silentLogger() });
    expect(await fixed.sizing()).toMatchObject({ contextSize: 2048, maxTokens: 300 });
    await fixed.stop();
  });

  it('refuses a context larger than the model was trained for', async () => {
    const big = new LlamaProvider({ config: config({ context_size: 8192 }), log: silentLogger() });
    const error = await failure(big.start());
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(
      'llm.context_size is 8192 but tiny-llama.gguf was trained for 4096 tokens; set llm.context_size to at most 4096',
    );
  });

  it('says so when llm.model_path is not set or the file is missing', async () => {
    const unset = await failure(
      new LlamaProvider({ config: config({ model_path: null }), log: silentLogger() }).start(),
    );
    expect(unset.kind).toBe('permanent');
    expect(unset.message).toMatch(/^llm.model_path is not set: /);
    const missing = await failure(
      new LlamaProvider({ config: config({ model_path: '/nonexistent/model.gguf' }), log: silentLogger() }).start(),
    );
    expect(missing.message).toContain('the model file /nonexistent/model.gguf');
  });
});
