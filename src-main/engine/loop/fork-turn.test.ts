import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { takeForkTurn } from './fork-turn';

/** Busy for `ms`, as a fork blocks the thread that starts a child. */
function fork(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // The fork's stall.
  }
}

describe('takeForkTurn', () => {
  it('gives each of several processes started at once its own turn, with due timers run in between', async () => {
    const order: string[] = [];
    const start = async (name: string) => {
      await takeForkTurn();
      order.push(name);
      // Due by the time this fork ends: it runs before the next process may start.
      setTimeout(() => order.push(`timer after ${name}`), 0);
      fork(3);
    };
    await Promise.all([start('a'), start('b'), start('c')]);
    expect(order.slice(0, 5)).toEqual(['a', 'timer after a', 'b', 'timer after b', 'c']);
  });

  it('does not wait when no process was started in the last turn', async () => {
    await takeForkTurn();
    await new Promise((resolve) => setTimeout(resolve, 5));
    let started = false;
    const turn = takeForkTurn().then(() => (started = true));
    // Promise continuations only: no turn of the loop between asking and starting.
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(true);
    await turn;
  });
});
