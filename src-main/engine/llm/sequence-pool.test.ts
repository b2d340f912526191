import { describe, expect, it } from 'vitest';
import { LlmError } from './llm-error';
import { SequencePool } from './sequence-pool';

describe('SequencePool', () => {
  it('lends each sequence to one caller at a time and serves waiters in order', async () => {
    const pool = new SequencePool(['s1', 's2']);
    const a = await pool.acquire();
    const b = await pool.acquire();
    expect(new Set([a.sequence, b.sequence])).toEqual(new Set(['s1', 's2']));
    expect(pool.available).toBe(0);

    const order: string[] = [];
    const c = pool.acquire().then((lease) => (order.push('c'), lease));
    const d = pool.acquire().then((lease) => (order.push('d'), lease));
    a.release();
    a.release(); // twice is harmless
    expect((await c).sequence).toBe(a.sequence);
    b.release();
    expect((await d).sequence).toBe(b.sequence);
    expect(order).toEqual(['c', 'd']);
  });

  it('gives a conversation its own sequence back when it is free', async () => {
    const pool = new SequencePool(['s1', 's2']);
    const first = await pool.acquire('conv-a');
    const other = await pool.acquire('conv-b');
    const own = first.sequence;
    first.release();
    other.release();
    // s2 was used more recently by conv-b; conv-a still gets its own sequence.
    const again = await pool.acquire('conv-a');
    expect(again.sequence).toBe(own);
  });

  it('drops a waiter whose signal aborts', async () => {
    const pool = new SequencePool(['only']);
    const held = await pool.acquire();
    const controller = new AbortController();
    const waiting = pool.acquire(undefined, controller.signal);
    controller.abort();
    const error = await waiting.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('aborted');
    held.release();
    expect(pool.available).toBe(1);
  });
});
