// Step 2, the repository: a path (the browser has no folder picker that yields a path), what the
// engine detects there — check commands, setup, where each came from — and, once confirmed, the
// registered workspace with its setup and checks run once on the base (./BaselineRun).
import { useState } from 'react';
import type { FormEvent } from 'react';
import { checkNames } from '../../src-shared/domain/attempt';
import type { CheckName } from '../../src-shared/domain/attempt';
import type { SetupInfo } from '../../src-shared/domain/setup';
import type { WorkspaceDetection } from '../../src-shared/domain/workspace-detect';
import { call } from '../stores/call';
import { useWorkspacesStore } from '../stores/workspaces-store';
import { useFirstRunStore } from './first-run-store';
import { BaselineRun } from './BaselineRun';
import { StepFrame } from './StepFrame';

type Detect =
  | { phase: 'idle' }
  | { phase: 'looking' }
  | { phase: 'error'; message: string }
  | { phase: 'found'; detection: WorkspaceDetection };

export function RepositoryStep({ info }: { info: SetupInfo }) {
  const [path, setPath] = useState('');
  const [detect, setDetect] = useState<Detect>({ phase: 'idle' });
  const [checks, setChecks] = useState<Partial<Record<CheckName, string>>>({});
  const [error, setError] = useState<string | null>(null);
  const [registered, setRegistered] = useState<string | null>(null);
  const added = useFirstRunStore((s) => s.repositoryAdded);
  const state = useFirstRunStore((s) => s.steps.repository);

  const look = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setDetect({ phase: 'looking' });
    const result = await call('workspaces:detect', { path: path.trim() });
    if ('error' in result) return setDetect({ phase: 'error', message: result.error.message });
    setDetect({ phase: 'found', detection: result.data });
    setChecks(result.data.checks);
  };

  const confirm = async () => {
    if (detect.phase !== 'found')
      return setError('Look at a repository first: enter its path and press "Look at the repository".');
    const given = Object.fromEntries(checkNames.filter((c) => checks[c]?.trim()).map((c) => [c, checks[c]?.trim()]));
    const result = await call('workspaces:add', { path: detect.detection.path, ...given });
    if ('error' in result) return setError(`The repository was not added: ${result.error.message}`);
    setError(null);
    const w = result.data;
    setRegistered(w.name);
    added(
      `workspace "${w.name}" (${w.path}), base ${w.baseBranch} → target ${w.targetBranch}; checks: ${Object.entries(
        w.checks,
      )
        .map(([k, v]) => `${k} \`${v}\``)
        .join(', ')}`,
    );
    await useWorkspacesStore.getState().load();
  };

  const found = detect.phase === 'found' ? detect.detection : null;
  return (
    <StepFrame
      id="repository"
      number={2}
      title="Repository"
      info={info}
      confirmLabel={state.phase === 'saved' || !found ? null : 'Add this repository'}
      onConfirm={() => void confirm()}
    >
      {state.phase !== 'saved' && (
        <form className="form" aria-label="Repository to work on" onSubmit={(event) => void look(event)}>
          <div className="form-row">
            <label className="field grow">
              <span>Repository path</span>
              <input
                value={path}
                onChange={(event) => setPath(event.target.value)}
                required
                placeholder="/home/me/code/project"
              />
            </label>
            <button type="submit" disabled={detect.phase === 'looking'}>
              Look at the repository
            </button>
          </div>
        </form>
      )}
      {detect.phase === 'looking' && <p role="status">Looking at the repository…</p>}
      {detect.phase === 'error' && (
        <p className="notice notice-error" role="alert">
          {detect.message}
        </p>
      )}
      {found && state.phase !== 'saved' && (
        <div aria-label="What was detected" role="group">
          {found.problem ? (
            <p className="notice notice-error" role="alert">
              {found.problem}
            </p>
          ) : (
            <p>
              {found.suggestedName} on branch <code>{found.currentBranch ?? '(detached)'}</code>
              {found.setup ? (
                <>
                  ; setup <code>{found.setup}</code>
                </>
              ) : null}
              .
            </p>
          )}
          <p className="muted small">
            {found.evidence.length > 0
              ? `Found from: ${found.evidence.join('; ')}`
              : 'No check found: enter at least one command the night can judge a change by.'}
          </p>
          <div className="form-row">
            {checkNames.map((check) => (
              <label key={check} className="field grow">
                <span>{check} command</span>
                <input
                  value={checks[check] ?? ''}
                  onChange={(event) => setChecks({ ...checks, [check]: event.target.value })}
                />
              </label>
            ))}
          </div>
          <p className="muted small">
            These checks run on the base in the sandbox at the start of every night, before any change is judged against
            them.
          </p>
        </div>
      )}
      {registered && <BaselineRun workspace={registered} />}
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </StepFrame>
  );
}
