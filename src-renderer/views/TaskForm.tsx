// Add or edit a task: workspace, title, description, acceptance criteria and files (one a line),
// priority and the spec executor. The engine validates; its message is shown as it says it.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { Task } from '../../src-shared/domain/records';
import { taskPriorities } from '../../src-shared/domain/task';
import type { TaskPriority } from '../../src-shared/domain/task';
import { useTasksStore } from '../stores/tasks-store';
import { useWorkspacesStore } from '../stores/workspaces-store';

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function TaskForm({ task, onDone }: { task?: Task; onDone?: () => void }) {
  const workspaces = useWorkspacesStore((s) => s.workspaces);
  const add = useTasksStore((s) => s.add);
  const update = useTasksStore((s) => s.update);
  const id = useId();
  const names = workspaces.status === 'ready' ? workspaces.data.map((w) => w.name) : [];
  const [workspace, setWorkspace] = useState(task?.workspace ?? '');
  const [title, setTitle] = useState(task?.title ?? '');
  const [description, setDescription] = useState(task?.description ?? '');
  const [criteria, setCriteria] = useState(task?.criteria.join('\n') ?? '');
  const [files, setFiles] = useState(task?.files.join('\n') ?? '');
  const [priority, setPriority] = useState<TaskPriority>(task?.priority ?? 'medium');
  const [spec, setSpec] = useState(task?.executor === 'spec');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const chosenWorkspace = workspace || names[0] || '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const fields = { title, description, criteria: lines(criteria), files: lines(files), priority, spec };
    const problem = task
      ? await update({ id: task.id, ...fields })
      : await add({ workspace: chosenWorkspace, ...fields });
    setBusy(false);
    setError(problem);
    if (problem) return;
    if (!task) {
      setTitle('');
      setDescription('');
      setCriteria('');
      setFiles('');
      setSpec(false);
    }
    onDone?.();
  };

  const label = task ? `Edit ${task.title}` : 'Add a task';
  return (
    <form className="form" aria-label={label} onSubmit={(event) => void submit(event)}>
      {!task && (
        <label className="field">
          <span>Workspace</span>
          <select
            value={chosenWorkspace}
            onChange={(event) => setWorkspace(event.target.value)}
            required
            disabled={names.length === 0}
          >
            {names.length === 0 && <option value="">No workspace yet — add one under Workspaces</option>}
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      <label className="field">
        <span>Title</span>
        <input value={title} onChange={(event) => setTitle(event.target.value)} required />
      </label>
      <label className="field">
        <span>Description</span>
        <textarea value={description} onChange={(event) => setDescription(event.target.value)} rows={3} />
      </label>
      <div className="form-row">
        <label className="field grow">
          <span>Acceptance criteria (one a line)</span>
          <textarea value={criteria} onChange={(event) => setCriteria(event.target.value)} rows={3} />
        </label>
        <label className="field grow">
          <span>Files to focus on (one a line)</span>
          <textarea value={files} onChange={(event) => setFiles(event.target.value)} rows={3} />
        </label>
      </div>
      <div className="form-row">
        <label className="field">
          <span>Priority</span>
          <select value={priority} onChange={(event) => setPriority(event.target.value as TaskPriority)}>
            {taskPriorities.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={spec}
            onChange={(event) => setSpec(event.target.checked)}
            aria-describedby={`${id}-spec`}
          />
          <span>Plan with a spec first</span>
        </label>
        <span id={`${id}-spec`} className="muted small">
          The spec executor writes requirements and a plan before editing.
        </span>
      </div>
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || (!task && names.length === 0)}>
          {task ? 'Save task' : 'Queue task'}
        </button>
        {onDone && task && (
          <button type="button" onClick={onDone}>
            Cancel editing
          </button>
        )}
      </div>
    </form>
  );
}
