import type { ScoreBreakdown as Breakdown } from '../../src-shared/domain/attempt';

const parts = ['checks', 'progress', 'review', 'scope'] as const;

/** The score as the scorer built it: each component with its weight, then the gates that overrode it. */
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
          </tr>
        </thead>
        <tbody>
          {parts.map((part) => (
            <tr key={part}>
              <th scope="row">{part}</th>
              <td>{breakdown[part].toFixed(2)}</td>
              <td>{breakdown.weights[part].toFixed(2)}</td>
            </tr>
          ))}
          <tr className="score-total">
            <th scope="row">total</th>
            <td>{breakdown.total.toFixed(2)}</td>
            <td />
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
