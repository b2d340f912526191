import { stat } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { nextTurn } from './next-turn';

describe('nextTurn', () => {
  it('resolves only after the loop has run its due timers, even when asked from an I/O callback', async () => {
    const order: string[] = [];
    await new Promise<void>((done) => {
      // An I/O callback, as the exit of a git process is: a single setImmediate queued here would run
      // in this iteration's check phase, before the loop's timers and its next poll.
      stat(import.meta.filename, () => {
        setTimeout(() => order.push('timer'), 0);
        const due = performance.now() + 5;
        while (performance.now() < due) {
          // Busy until the timer is due, so the next iteration's timers phase runs it.
        }
        void nextTurn().then(() => {
          order.push('next turn');
          done();
        });
      });
    });
    expect(order).toEqual(['timer', 'next turn']);
  });
});
