// The repository step's proof: once the repository is registered, its setup and checks run once on
// the base (`workspaces:check`), and the user sees which pass there and how long each took — before
// the first night judges any change against them.
import { useEffect, useState } from 'react';
import type { BaselineResult } from '../../src-shared/domain/workspace-detect';
import { call } from '../stores/call';

type Run = { phase: 'running' } | { phase: 'error'; message: string } | { phase: 'done'; result: BaselineResult };

export function BaselineRun({ workspace }: { workspace: string }) {
  const [run, setRun] = useState<Run>({ phase: 'running' });
  useEffect(() => {
    let live = true;
    void call('workspaces:check', { name: workspace }).then((answer) => {
      if (!live) return;
      setRun(
        'error' in answer ? { phase: 'error', message: answer.error.message } : { phase: 'done', result: answer.data },
      );
    });
    return () => {
      live = false;
    };
  }, [workspace]);

  if (run.phase === 'running') {
    return (
      <p role="status" aria-live="polite">
        Running the setup and the checks once on the base… <progress aria-label="Baseline run" />
      </p>
    );
  }
  if (run.phase === 'error') {
    return (
      <p className="notice notice-error" role="alert">
        The baseline run failed: {run.message}
      </p>
    );
  }
  const { result } = run;
  return (
    <div role="group" aria-label="Baseline on the base commit">
      <p>
        On the base <code>{result.baseCommit.slice(0, 12)}</code>: {setupLine(result.setup)}
      </p>
      <table className="score-table" aria-label="Checks on the base">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Time</th>
            <th scope="col">Tests</th>
          </tr>
        </thead>
        <tbody>
          {result.checks.map((check) => (
            <tr key={check.name}>
              <th scope="row">
                {check.name} <code>{check.command}</code>
              </th>
              <td>
                {check.passed ? 'passed' : check.timedOut ? 'timed out' : `FAILED (exit ${check.exitCode ?? '?'})`}
              </td>
              <td>{(check.durationMs / 1000).toFixed(1)} s</td>
              <td>{check.tests ? `${check.tests.passed} passed, ${check.tests.failed} failed` : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {result.warnings.length > 0 && (
        <ul className="gates" aria-label="Warnings">
          {result.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function setupLine(setup: BaselineResult['setup']): string {
  if (setup.kind === 'none') return 'no dependency setup needed.';
  if (setup.kind === 'failed') return `the setup \`${setup.command}\` FAILED: ${setup.reason}`;
  return `setup \`${setup.command}\` ${setup.cacheHit ? 'was already done (cached)' : `done in ${(setup.durationMs / 1000).toFixed(1)} s`}.`;
}
