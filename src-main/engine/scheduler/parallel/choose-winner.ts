// The best of a task's parallel attempts, by evidence (DESIGN §4: "the best one wins, the others are
// closed"). Pure: it sees only what each attempt measured. The order, most important first:
//   1. the higher score (an attempt without a score — it failed or was interrupted — ranks below any
//      scored one);
//   2. fewer changed lines: the same evidence from a smaller change is the better change;
//   3. more test evidence: more checks passing after the change, then more tests passing;
//   4. how far it got (ready to land, then review, rejected, failed, interrupted);
//   5. the earlier variant (variant 0 is the task as queued).

/** Where an attempt stands when the attempts of its task are compared. */
export type CandidateOutcome = 'land' | 'review' | 'rejected' | 'failed' | 'interrupted';

export interface Candidate {
  attemptId: string;
  variant: number;
  outcome: CandidateOutcome;
  /** The evidence-based score; null when the attempt never got one. */
  score: number | null;
  /** Lines added + removed by the change; null when nothing was committed. */
  changedLines: number | null;
  /** Checks passing after the change. */
  checksPassed: number;
  /** Tests passing after the change, from the runners' summaries; null when no runner printed one. */
  testsPassed: number | null;
}

const outcomeRank: Record<CandidateOutcome, number> = { land: 0, review: 1, rejected: 2, failed: 3, interrupted: 4 };

/** Negative when `a` is the better attempt. */
export function compareCandidates(a: Candidate, b: Candidate): number {
  return (
    descending(a.score, b.score) ||
    ascending(a.changedLines, b.changedLines) ||
    b.checksPassed - a.checksPassed ||
    descending(a.testsPassed, b.testsPassed) ||
    outcomeRank[a.outcome] - outcomeRank[b.outcome] ||
    a.variant - b.variant
  );
}

export interface Choice {
  winner: Candidate;
  /** The others, best first. */
  losers: Candidate[];
}

export function chooseWinner(candidates: readonly Candidate[]): Choice {
  const ranked = [...candidates].sort(compareCandidates);
  const winner = ranked[0];
  if (winner === undefined) throw new Error('no attempt to choose from');
  return { winner, losers: ranked.slice(1) };
}

/** Why a loser lost, in words for its reasons: the first piece of evidence that separated them. */
export function whyLost(loser: Candidate, winner: Candidate): string {
  const versus = `attempt ${winner.attemptId} (variant ${winner.variant + 1})`;
  if (loser.score !== winner.score) return `lost to ${versus}: score ${shown(loser.score)} vs ${shown(winner.score)}`;
  if (loser.changedLines !== winner.changedLines)
    return `lost to ${versus}: same score ${shown(winner.score)}, ${loser.changedLines ?? 'no'} changed lines vs ${winner.changedLines ?? 'no'}`;
  if (loser.checksPassed !== winner.checksPassed || loser.testsPassed !== winner.testsPassed) {
    return `lost to ${versus}: same score and size, ${loser.checksPassed} checks / ${loser.testsPassed ?? 'unknown'} tests passing vs ${winner.checksPassed} / ${winner.testsPassed ?? 'unknown'}`;
  }
  if (loser.outcome !== winner.outcome)
    return `lost to ${versus}: same evidence, it got further (${winner.outcome} vs ${loser.outcome})`;
  return `lost to ${versus}: the same evidence; the earlier variant wins a tie`;
}

function shown(score: number | null): string {
  return score === null ? 'none' : score.toFixed(3);
}

/** Higher first; null (no evidence) after any number. */
function descending(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/** Lower first; null (no evidence) after any number. */
function ascending(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}
