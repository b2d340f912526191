import { describe, expect, it } from 'vitest';
import type { Candidate } from './choose-winner';
import { chooseWinner, compareCandidates, whyLost } from './choose-winner';

function candidate(variant: number, over: Partial<Candidate> = {}): Candidate {
  return {
    attemptId: `a${variant + 1}`,
    variant,
    outcome: 'land',
    score: 0.9,
    changedLines: 2,
    checksPassed: 1,
    testsPassed: null,
    ...over,
  };
}

describe("chooseWinner: the best of a task's parallel attempts by evidence", () => {
  it('picks the highest score, whatever the variant order', () => {
    const choice = chooseWinner([
      candidate(0, { score: 0.78, outcome: 'review' }),
      candidate(1, { score: 0.93 }),
      candidate(2, { score: 0.4, outcome: 'rejected' }),
    ]);
    expect(choice.winner.attemptId).toBe('a2');
    expect(choice.losers.map((l) => l.attemptId)).toEqual(['a1', 'a3']);
    expect(whyLost(choice.losers[0] as Candidate, choice.winner)).toBe(
      'lost to attempt a2 (variant 2): score 0.780 vs 0.930',
    );
  });

  it('ranks any scored attempt above one that failed or was interrupted', () => {
    const choice = chooseWinner([
      candidate(0, { score: null, outcome: 'failed', changedLines: null }),
      candidate(1, { score: 0, outcome: 'rejected', changedLines: 40 }),
    ]);
    expect(choice.winner.attemptId).toBe('a2');
    expect(whyLost(choice.losers[0] as Candidate, choice.winner)).toBe(
      'lost to attempt a2 (variant 2): score none vs 0.000',
    );
  });

  it('breaks a tie of scores by fewer changed lines', () => {
    const choice = chooseWinner([candidate(0, { changedLines: 7 }), candidate(1, { changedLines: 2 })]);
    expect(choice.winner.attemptId).toBe('a2');
    expect(whyLost(choice.losers[0] as Candidate, choice.winner)).toBe(
      'lost to attempt a2 (variant 2): same score 0.900, 7 changed lines vs 2',
    );
  });

  it('then by test evidence: more checks passing, then more tests passing', () => {
    expect(chooseWinner([candidate(0, { checksPassed: 1 }), candidate(1, { checksPassed: 2 })]).winner.attemptId).toBe(
      'a2',
    );
    const byTests = chooseWinner([
      candidate(0, { testsPassed: 3 }),
      candidate(1, { testsPassed: 5 }),
      candidate(2, { testsPassed: null }),
    ]);
    expect(byTests.winner.attemptId).toBe('a2');
    expect(byTests.losers.map((l) => l.attemptId)).toEqual(['a1', 'a3']);
    expect(whyLost(byTests.losers[0] as Candidate, byTests.winner)).toBe(
      'lost to attempt a2 (variant 2): same score and size, 1 checks / 3 tests passing vs 1 / 5',
    );
  });

  it('then by how far it got, then the earlier variant', () => {
    expect(
      chooseWinner([candidate(0, { outcome: 'review' }), candidate(1, { outcome: 'land' })]).winner.attemptId,
    ).toBe('a2');
    const tie = chooseWinner([candidate(2), candidate(0), candidate(1)]);
    expect(tie.winner.attemptId).toBe('a1');
    expect(whyLost(tie.losers[0] as Candidate, tie.winner)).toBe(
      'lost to attempt a1 (variant 1): the same evidence; the earlier variant wins a tie',
    );
  });

  it('is a total order that does not depend on the input order', () => {
    const all = [
      candidate(0, { score: 0.8 }),
      candidate(1, { score: 0.8, changedLines: 1 }),
      candidate(2, { score: null, outcome: 'interrupted', changedLines: null }),
      candidate(3, { score: null, outcome: 'failed', changedLines: null }),
    ];
    const order = chooseWinner(all);
    const reversed = chooseWinner([...all].reverse());
    expect([order.winner, ...order.losers].map((c) => c.attemptId)).toEqual(['a2', 'a1', 'a4', 'a3']);
    expect([reversed.winner, ...reversed.losers].map((c) => c.attemptId)).toEqual(['a2', 'a1', 'a4', 'a3']);
    expect(compareCandidates(candidate(0), candidate(0))).toBe(0);
  });

  it('refuses to choose from nothing', () => {
    expect(() => chooseWinner([])).toThrow('no attempt to choose from');
  });
});
