// The meeting point of one task's parallel attempts: each attempt, once it knows how it would end
// (ready to land, or an ending of its own), enters with its evidence and waits; when every attempt has
// entered (or left without a result, by throwing), the chooser picks the winner and each attempt hears
// its verdict. Only the winner goes on to land and decides the task's state; the others are closed.
import type { Candidate, Choice } from './choose-winner';
import { chooseWinner, whyLost } from './choose-winner';

export type Verdict = { kind: 'won'; note: string } | { kind: 'lost'; winnerId: string; why: string };

interface Entry {
  candidate: Candidate;
  resolve: (verdict: Verdict) => void;
}

export class Contest {
  private readonly entries = new Map<number, Entry>();
  private readonly gone = new Set<number>();
  private choice: Choice | null = null;

  constructor(private readonly size: number) {}

  /** The chooser's answer once every attempt has entered or left; null before. */
  get chosen(): Choice | null {
    return this.choice;
  }

  enter(candidate: Candidate): Promise<Verdict> {
    if (this.choice !== null || this.entries.has(candidate.variant) || this.gone.has(candidate.variant)) {
      throw new Error(`variant ${candidate.variant} entered the contest twice or after the choice`);
    }
    const verdict = new Promise<Verdict>((resolve) => this.entries.set(candidate.variant, { candidate, resolve }));
    this.decideWhenComplete();
    return verdict;
  }

  /** An attempt that ended without entering (it threw): the others must not wait for it. */
  leave(variant: number): void {
    if (this.entries.has(variant) || this.choice !== null) return;
    this.gone.add(variant);
    this.decideWhenComplete();
  }

  private decideWhenComplete(): void {
    if (this.entries.size + this.gone.size < this.size || this.entries.size === 0) return;
    const entries = [...this.entries.values()];
    const choice = chooseWinner(entries.map((e) => e.candidate));
    this.choice = choice;
    const { winner, losers } = choice;
    for (const entry of entries) {
      if (entry.candidate.variant === winner.variant) {
        entry.resolve({ kind: 'won', note: winnerNote(winner, losers) });
      } else {
        entry.resolve({ kind: 'lost', winnerId: winner.attemptId, why: whyLost(entry.candidate, winner) });
      }
    }
  }
}

function winnerNote(winner: Candidate, losers: Candidate[]): string {
  if (losers.length === 0)
    return `the only one of its parallel attempts with a result (score ${winner.score?.toFixed(3) ?? 'none'})`;
  const others = losers
    .map((l) => `${l.attemptId} ${l.score === null ? l.outcome : `score ${l.score.toFixed(3)}`}`)
    .join(', ');
  return `best by evidence of ${losers.length + 1} parallel attempts (score ${winner.score?.toFixed(3) ?? 'none'}; the others: ${others})`;
}
