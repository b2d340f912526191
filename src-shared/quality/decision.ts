// The decision rule of DESIGN §6, pure so that the UI can explain a score with the same code.
export interface Thresholds {
  autoApprove: number;
  review: number;
}

export type ScoreDecision = 'merge' | 'review' | 'improve' | 'reject';

export function decideFromScore(score: number, thresholds: Thresholds, cyclesLeft: number): ScoreDecision {
  if (score >= thresholds.autoApprove) return 'merge';
  if (score >= thresholds.review) return 'review';
  return cyclesLeft > 0 ? 'improve' : 'reject';
}
