import { describe, expect, it } from 'vitest';
import { describeSizing, resolveSizing, serverFallbackContextSize } from './context-sizing';

describe('resolveSizing', () => {
  it('takes auto from the loaded model: the context node-llama-cpp fitted, a quarter of it for the reply', () => {
    expect(
      resolveSizing({ context_size: 'auto', max_tokens: 'auto' }, { contextSize: 16384, trainContextSize: 16384 }),
    ).toEqual({
      contextSize: 16384,
      maxTokens: 4096,
      source: "llm.context_size auto: 16384, the model's trained context; llm.max_tokens auto: 4096 (a quarter of it)",
    });
    expect(
      resolveSizing({ context_size: 'auto', max_tokens: 'auto' }, { contextSize: 11264, trainContextSize: 16384 }),
    ).toEqual({
      contextSize: 11264,
      maxTokens: 2816,
      source:
        "llm.context_size auto: 11264, the most of the model's trained 16384 that fits this machine's memory; llm.max_tokens auto: 2816 (a quarter of it)",
    });
  });

  it('states the fallback for a server that reports no context, and keeps configured numbers', () => {
    expect(resolveSizing({ context_size: 'auto', max_tokens: 'auto' }, null)).toMatchObject({
      contextSize: serverFallbackContextSize,
      maxTokens: 2048,
      source: expect.stringContaining('a fallback (the server does not report'),
    });
    expect(serverFallbackContextSize).toBe(8192);
    expect(
      resolveSizing({ context_size: 4096, max_tokens: 'auto' }, { contextSize: 16384, trainContextSize: 16384 }),
    ).toMatchObject({ contextSize: 4096, maxTokens: 1024 });
    expect(
      resolveSizing({ context_size: 'auto', max_tokens: 3000 }, { contextSize: 16384, trainContextSize: 16384 }),
    ).toMatchObject({
      contextSize: 16384,
      maxTokens: 3000,
      source: expect.stringContaining('llm.max_tokens 3000 (configured)'),
    });
  });
});

describe('describeSizing', () => {
  it('says an embedded auto context is resolved at load time, and shows what is known otherwise', () => {
    expect(describeSizing({ provider: 'llama', context_size: 'auto', max_tokens: 'auto' }, undefined)).toContain(
      'resolved when the model loads',
    );
    expect(describeSizing({ provider: 'openai', context_size: 'auto', max_tokens: 'auto' }, undefined)).toContain(
      '8192, a fallback',
    );
    expect(describeSizing({ provider: 'llama', context_size: 4096, max_tokens: 512 }, undefined)).toBe(
      'llm.context_size 4096 (configured); llm.max_tokens 512 (configured)',
    );
  });
});
