import type { CheckOutcome } from '../../src-shared/domain/attempt';

function describe(check: CheckOutcome | undefined): string {
  if (!check) return 'not run';
  if (check.timedOut) return 'timed out';
  return check.passed ? 'passed' : `failed (exit ${check.exitCode ?? '?'})`;
}

/** Each configured check on the base (before) and with the change (after). */
export function ChecksBeforeAfter({
  before,
  after,
  label,
}: {
  before: CheckOutcome[] | null;
  after: CheckOutcome[] | null;
  label: string;
}) {
  const names = [...new Set([...(before ?? []), ...(after ?? [])].map((check) => check.name))];
  if (names.length === 0) return <p className="muted">No checks ran for this attempt.</p>;
  return (
    <table className="checks-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const b = before?.find((check) => check.name === name);
          const a = after?.find((check) => check.name === name);
          return (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className={b?.passed ? 'ok' : 'bad'}>{describe(b)}</td>
              <td className={a?.passed ? 'ok' : 'bad'}>{describe(a)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
