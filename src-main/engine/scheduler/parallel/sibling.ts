// What one parallel attempt brings to its task's contest and how its verdict turns into its ending:
// the evidence it measured (score, size of the change, checks and tests passing), and for a loser the
// ending that closes it — `rejected` with decision `lost` and a reason naming the winner, its score
// and breakdown kept for the report — while its branch goes the way of every rejected attempt's.
import type { Attempt } from '../../../../src-shared/domain/records';
import type { AttemptEnding } from '../attempt/attempt-recorder';
import type { Candidate, CandidateOutcome } from './choose-winner';
import type { Contest, Verdict } from './contest';

/** What AttemptRunner.run gets when it is one of several attempts of a task. */
export interface Sibling {
  variant: number;
  contest: Contest;
}

export function candidateOf(
  variant: number,
  attempt: Attempt,
  outcome: CandidateOutcome,
  score: number | null,
): Candidate {
  const tests = (attempt.checksAfter ?? []).map((c) => c.tests?.passed).filter((n): n is number => n !== undefined);
  return {
    attemptId: attempt.id,
    variant,
    outcome,
    score,
    changedLines: attempt.diff ? attempt.diff.insertions + attempt.diff.deletions : null,
    checksPassed: (attempt.checksAfter ?? []).filter((c) => c.passed).length,
    testsPassed: tests.length > 0 ? tests.reduce((a, b) => a + b, 0) : null,
  };
}

/** The winner keeps its own ending, with why it was chosen just before the reason that decided it. */
export function withWinnerNote(ending: AttemptEnding, verdict: Verdict & { kind: 'won' }): AttemptEnding {
  const reasons = ending.changes.reasons ?? [];
  const note = `chosen: ${verdict.note}`;
  return { ...ending, changes: { ...ending.changes, reasons: [...reasons.slice(0, -1), note, ...reasons.slice(-1)] } };
}

/**
 * A loser's ending. One that would have been kept (landed or held for review) is closed as rejected
 * with decision `lost`; one that ended badly on its own keeps its status and decision. Either way the
 * last reason says which attempt won and why.
 */
export function lostEnding(own: AttemptEnding, kept: boolean, verdict: Verdict & { kind: 'lost' }): AttemptEnding {
  const reasons = [...(own.changes.reasons ?? []), verdict.why];
  if (!kept && own.status !== 'review') return { ...own, changes: { ...own.changes, reasons } };
  return { status: 'rejected', changes: { ...own.changes, decision: 'lost', reasons } };
}
