import type { ScoreBreakdown as Breakdown } from '../../src-shared/domain/attempt';

const parts = ['checks', 'progress', 'review', 'scope'] as const;

/**
 * The score as the scorer built it, as a sum a reader can check: each component's value, the weight it
 * got and what it contributed, the gates' cap, and the total they add up to. A component without
 * evidence shows "no evidence" and weighs nothing.
 */
export function ScoreBreakdown({ breakdown, label }: { breakdown: Breakdown | null; label: string }) {
  if (!breakdown) return <p className="muted">No score: the attempt ended before it was scored.</p>;
  return (
    <div className="score">
      <table className="score-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Part</th>
            <th scope="col">Value</th>
            <th scope="col">Weight</th>
            <th scope="col">Adds</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((part) => (
            <tr key={part}>
              <th scope="row">{part}</th>
              <td>{breakdown[part]?.toFixed(2) ?? 'no evidence'}</td>
              <td>{breakdown.weights[part].toFixed(2)}</td>
              <td>{breakdown.contributions[part].toFixed(3)}</td>
            </tr>
          ))}
          {breakdown.cap !== 0 && (
            <tr>
              <th scope="row">gates</th>
              <td />
              <td />
              <td>{breakdown.cap.toFixed(3)}</td>
            </tr>
          )}
          <tr className="score-total">
            <th scope="row">total</th>
            <td />
            <td />
            <td>{breakdown.total.toFixed(3)}</td>
          </tr>
        </tbody>
      </table>
      {breakdown.gates.length > 0 && (
        <div>
          <p className="label">Gates</p>
          <ul className="gates">
            {breakdown.gates.map((gate) => (
              <li key={gate}>{gate}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
