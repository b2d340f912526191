// The score breakdown as one line a reader can add up: each component's value × weight = contribution,
// then the gates' cap, then the total. The same line goes into the report and the knowledge vault.
import type { ScoreBreakdown, ScoreComponent } from '../../../src-shared/domain/attempt';

const order: readonly ScoreComponent[] = ['checks', 'progress', 'review', 'scope'];

export function renderBreakdown(b: ScoreBreakdown): string {
  const terms = order.map((c) => {
    const value = b[c];
    return value === null ? `${c} (no evidence) 0` : `${c} ${value} × ${b.weights[c]} = ${b.contributions[c]}`;
  });
  const cap = b.cap !== 0 ? ` + cap ${b.cap}` : '';
  const gates = b.gates.length > 0 ? `; gates: ${b.gates.join('; ')}` : '';
  return `${terms.join(' + ')}${cap} → total ${b.total}${gates}`;
}
