// Workspaces: the repositories the agent may work in. Adding one first asks the engine what it finds
// there (checks, current branch), so the form starts filled in; branches and checks stay editable.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { checkNames } from '../../src-shared/domain/attempt';
import type { CheckName } from '../../src-shared/domain/attempt';
import { EmptyState } from '../components/EmptyState';
import { LoadableView } from '../components/LoadableView';
import { useWorkspacesStore } from '../stores/workspaces-store';
import { RemoveWorkspaceDialog } from './RemoveWorkspaceDialog';

export function WorkspacesView() {
  const workspaces = useWorkspacesStore((s) => s.workspaces);
  const remove = useWorkspacesStore((s) => s.remove);
  const actionError = useWorkspacesStore((s) => s.actionError);
  // Removal deletes tasks and attempt branches: it is confirmed in a dialog first.
  const [removing, setRemoving] = useState<string | null>(null);
  return (
    <section className="view" aria-labelledby="workspaces-heading">
      <h2 id="workspaces-heading">Workspaces</h2>
      <AddWorkspace />
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
      <LoadableView value={workspaces} what="the workspaces">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No workspaces yet">
              Add the path of a git repository above; tasks are queued against a workspace.
            </EmptyState>
          ) : (
            <ul className="workspace-list">
              {list.map((workspace) => (
                <li key={workspace.id} className="card" aria-labelledby={`ws-${workspace.id}`}>
                  <div className="card-head">
                    <h3 id={`ws-${workspace.id}`}>{workspace.name}</h3>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setRemoving(workspace.name)}
                      aria-label={`Remove ${workspace.name}`}
                    >
                      Remove
                    </button>
                  </div>
                  <p className="muted">
                    <code>{workspace.path}</code> · base <code>{workspace.baseBranch}</code> → target{' '}
                    <code>{workspace.targetBranch}</code>
                  </p>
                  <dl className="facts">
                    {checkNames.map((name) => (
                      <div key={name}>
                        <dt>{name}</dt>
                        <dd>{workspace.checks[name] ? <code>{workspace.checks[name]}</code> : 'none'}</dd>
                      </div>
                    ))}
                  </dl>
                </li>
              ))}
            </ul>
          )
        }
      </LoadableView>
      {removing !== null && (
        <RemoveWorkspaceDialog
          name={removing}
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            setRemoving(null);
            void remove(removing);
          }}
        />
      )}
    </section>
  );
}

function AddWorkspace() {
  const detection = useWorkspacesStore((s) => s.detection);
  const detect = useWorkspacesStore((s) => s.detect);
  const add = useWorkspacesStore((s) => s.add);
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [base, setBase] = useState('');
  const [target, setTarget] = useState('');
  const [checks, setChecks] = useState<Partial<Record<CheckName, string>>>({});
  const found = detection?.status === 'ready' ? detection.data : null;

  const onDetect = async (event: FormEvent) => {
    event.preventDefault();
    await detect(path.trim());
    const result = useWorkspacesStore.getState().detection;
    if (result?.status === 'ready') {
      setName(result.data.suggestedName ?? '');
      setBase(result.data.currentBranch ?? '');
      // The target stays empty: the engine's own integration branch, never the user's branch by surprise.
      setTarget('');
      setChecks(result.data.checks);
    }
  };

  const onAdd = async () => {
    const problem = await add({
      path: path.trim(),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(base.trim() ? { base: base.trim() } : {}),
      ...(target.trim() ? { target: target.trim() } : {}),
      ...Object.fromEntries(checkNames.filter((c) => checks[c]?.trim()).map((c) => [c, checks[c]?.trim()])),
    });
    if (!problem) {
      setPath('');
      setName('');
      setBase('');
      setTarget('');
      setChecks({});
    }
  };

  return (
    <form className="form" aria-label="Add a workspace" onSubmit={(event) => void onDetect(event)}>
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
        <button type="submit">Detect</button>
      </div>
      {detection?.status === 'loading' && <p role="status">Looking at the repository…</p>}
      {detection?.status === 'error' && (
        <p className="notice notice-error" role="alert">
          {detection.message}
        </p>
      )}
      {found && (
        <>
          {found.problem && (
            <p className="notice notice-error" role="alert">
              {found.problem}
            </p>
          )}
          {found.evidence.length > 0 && <p className="muted small">Found from: {found.evidence.join('; ')}</p>}
          <div className="form-row">
            <label className="field">
              <span>Name</span>
              <input value={name} onChange={(event) => setName(event.target.value)} />
            </label>
            <label className="field">
              <span>Base branch</span>
              <input value={base} onChange={(event) => setBase(event.target.value)} />
            </label>
            <label className="field">
              <span>Target branch</span>
              <input
                value={target}
                onChange={(event) => setTarget(event.target.value)}
                aria-describedby="target-help"
              />
              <span id="target-help" className="muted small">
                Empty: the engine&apos;s integration branch
              </span>
            </label>
          </div>
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
          <div className="form-actions">
            <button type="button" className="primary" disabled={Boolean(found.problem)} onClick={() => void onAdd()}>
              Add workspace
            </button>
          </div>
        </>
      )}
    </form>
  );
}
