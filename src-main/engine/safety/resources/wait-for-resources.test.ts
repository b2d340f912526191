import { describe, expect, it } from 'vitest';
import { waitForResources } from './wait-for-resources';

/** A gate that answers from a script, then null once it runs out. */
function scriptedGate(answers: (string | null)[]) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    async check() {
      return answers[calls++] ?? null;
    },
  };
}

describe('waitForResources', () => {
  it('returns at once when nothing holds work back, without pausing', async () => {
    const gate = scriptedGate([null]);
    const pauses: string[] = [];
    const result = await waitForResources({ gate, intervalS: 60, onPause: (r) => pauses.push(r) });
    expect(result).toEqual({ kind: 'ready', reasons: [], pausedMs: 0 });
    expect(gate.calls).toBe(1);
    expect(pauses).toEqual([]);
  });

  it('waits and checks again until the gate lets work start; reports each new reason once', async () => {
    const gate = scriptedGate(['CPU at 97%', 'CPU at 97%', 'running on battery', null]);
    const pauses: string[] = [];
    let resumed = 0;
    const result = await waitForResources({
      gate,
      intervalS: 0.01,
      onPause: (r) => pauses.push(r),
      onResume: () => resumed++,
    });
    expect(result).toMatchObject({ kind: 'ready', reasons: ['CPU at 97%', 'running on battery'] });
    expect(gate.calls).toBe(4);
    expect(pauses).toEqual(['CPU at 97%', 'running on battery']);
    expect(resumed).toBe(1);
  });

  it('stops waiting when the session is stopped', async () => {
    const gate = scriptedGate(Array.from({ length: 1000 }, () => 'memory at 99%'));
    const controller = new AbortController();
    const result = waitForResources({
      gate,
      intervalS: 3600,
      signal: controller.signal,
      onPause: () => controller.abort(),
    });
    expect(await result).toEqual({ kind: 'aborted', reasons: ['memory at 99%'] });
    expect(gate.calls).toBe(1);
  });

  it('gives up at the deadline with the reason it was still paused for', async () => {
    let clock = new Date('2024-05-01T05:59:00Z');
    const gate = {
      async check() {
        clock = new Date(clock.getTime() + 30_000);
        return 'free disk at 0.5 GB';
      },
    };
    const result = await waitForResources({
      gate,
      intervalS: 0.01,
      deadline: new Date('2024-05-01T06:00:00Z'),
      now: () => clock,
    });
    expect(result).toEqual({ kind: 'deadline', reasons: ['free disk at 0.5 GB'] });
  });
});
