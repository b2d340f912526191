import { describe, expect, it } from 'vitest';
import type { Candidate } from './choose-winner';
import { Contest } from './contest';

function candidate(variant: number, score: number | null): Candidate {
  return {
    attemptId: `t-${variant + 1}`,
    variant,
    outcome: score === null ? 'failed' : 'land',
    score,
    changedLines: score === null ? null : 2,
    checksPassed: 1,
    testsPassed: null,
  };
}

describe('Contest: the attempts of one task wait for each other, then hear their verdicts', () => {
  it('answers nobody until every attempt entered, then the best wins and the others lose to it', async () => {
    const contest = new Contest(3);
    const heard: string[] = [];
    const first = contest.enter(candidate(0, 0.75)).then((v) => (heard.push(`0:${v.kind}`), v));
    const second = contest.enter(candidate(1, 0.92)).then((v) => (heard.push(`1:${v.kind}`), v));
    await Promise.resolve();
    expect(heard).toEqual([]);
    expect(contest.chosen).toBeNull();
    const third = contest.enter(candidate(2, null));
    const verdicts = await Promise.all([first, second, third]);
    expect(verdicts[1]).toEqual({
      kind: 'won',
      note: 'best by evidence of 3 parallel attempts (score 0.920; the others: t-1 score 0.750, t-3 failed)',
    });
    expect(verdicts[0]).toEqual({
      kind: 'lost',
      winnerId: 't-2',
      why: 'lost to attempt t-2 (variant 2): score 0.750 vs 0.920',
    });
    expect(verdicts[2]).toEqual({
      kind: 'lost',
      winnerId: 't-2',
      why: 'lost to attempt t-2 (variant 2): score none vs 0.920',
    });
    expect(contest.chosen?.winner.attemptId).toBe('t-2');
  });

  it('does not wait for an attempt that left without a result', async () => {
    const contest = new Contest(2);
    const only = contest.enter(candidate(0, 0.5));
    contest.leave(1);
    expect(await only).toEqual({
      kind: 'won',
      note: 'the only one of its parallel attempts with a result (score 0.500)',
    });
    // Leaving after entering (the run's own `finally`) changes nothing.
    contest.leave(0);
    expect(contest.chosen?.winner.attemptId).toBe('t-1');
  });

  it('refuses a second entry of the same attempt', () => {
    const contest = new Contest(2);
    void contest.enter(candidate(0, 0.5));
    expect(() => contest.enter(candidate(0, 0.6))).toThrow('variant 0 entered the contest twice or after the choice');
  });
});
