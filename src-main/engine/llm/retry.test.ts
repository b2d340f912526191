import { describe, expect, it } from 'vitest';
import { LlmError } from './llm-error';
import { abortableSleep, backoffDelayMs, withRetry } from './retry';

const policy = { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1000 };

describe('withRetry', () => {
  it('retries transient and timeout errors with growing, jittered delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      policy,
      async () => {
        calls++;
        if (calls === 1) throw new LlmError('transient', 'connection refused');
        if (calls === 2) throw new LlmError('timeout', 'slow');
        return 'ok';
      },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
    );
    expect(value).toBe('ok');
    expect(delays).toEqual([50, 100]);
  });

  it('rethrows the last error once max_retries is spent', async () => {
    let calls = 0;
    const error = await withRetry(
      policy,
      async () => {
        calls++;
        throw new LlmError('transient', `failure ${calls}`);
      },
      { sleep: async () => undefined },
    ).catch((e: unknown) => e);
    expect((error as LlmError).message).toBe('failure 4');
    expect(calls).toBe(4);
  });

  it('does not retry permanent, invalid output or foreign errors', async () => {
    for (const thrown of [new LlmError('permanent', 'no'), new LlmError('invalid_output', 'bad'), new Error('bug')]) {
      let calls = 0;
      const error = await withRetry(
        policy,
        async () => {
          calls++;
          throw thrown;
        },
        { sleep: async () => undefined },
      ).catch((e: unknown) => e);
      expect(error).toBe(thrown);
      expect(calls).toBe(1);
    }
  });

  it('retries only what retryOn accepts', async () => {
    let calls = 0;
    const error = await withRetry(
      policy,
      async () => {
        calls++;
        throw new LlmError('timeout', 'slow');
      },
      { sleep: async () => undefined, retryOn: (e) => e.kind === 'transient' },
    ).catch((e: unknown) => e);
    expect((error as LlmError).kind).toBe('timeout');
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const pending = withRetry(
      { ...policy, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      async () => {
        throw new LlmError('transient', 'down');
      },
      { signal: controller.signal, random: () => 1, onRetry: () => queueMicrotask(() => controller.abort()) },
    );
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('aborted');
  });
});

describe('backoffDelayMs', () => {
  it('doubles the ceiling per attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelayMs(policy, a, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(0);
  });
});

describe('abortableSleep', () => {
  it('rejects at once for an already aborted signal', async () => {
    const error = await abortableSleep(60_000, AbortSignal.abort()).catch((e: unknown) => e);
    expect((error as LlmError).kind).toBe('aborted');
  });
});
