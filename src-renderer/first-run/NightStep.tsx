// Step 3, the night: the window (in the zone the scheduler reads it in), night mode armed,
// notifications on — and, once a repository is there, a first task queued right here.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { SetupInfo } from '../../src-shared/domain/setup';
import { useStatusStore } from '../stores/status-store';
import { useTasksStore } from '../stores/tasks-store';
import { useWorkspacesStore } from '../stores/workspaces-store';
import { useFirstRunStore } from './first-run-store';
import type { NightDraft } from './first-run-store';
import { StepFrame } from './StepFrame';

export function NightStep({ info }: { info: SetupInfo }) {
  // The window as configured (22:00–06:00 on a fresh home); arming and notifications are the
  // recommended answers, which the user confirms or changes.
  const status = useStatusStore((s) => s.status);
  const configured =
    status.status === 'ready' ? status.data.nightMode.window : { startTime: '22:00', endTime: '06:00' };
  const [draft, setDraft] = useState<NightDraft>({
    startTime: configured.startTime,
    endTime: configured.endTime,
    nightMode: true,
    notifications: true,
  });
  const setNight = useFirstRunStore((s) => s.setNight);
  return (
    <StepFrame
      id="night"
      number={3}
      title="Night"
      info={info}
      confirmLabel="Save the night"
      onConfirm={() => void setNight(draft)}
    >
      <div className="form-row">
        <label className="field">
          <span>Night starts at</span>
          <input
            type="time"
            value={draft.startTime}
            required
            onChange={(event) => setDraft({ ...draft, startTime: event.target.value })}
            aria-describedby="night-zone"
          />
        </label>
        <label className="field">
          <span>Night ends at</span>
          <input
            type="time"
            value={draft.endTime}
            required
            onChange={(event) => setDraft({ ...draft, endTime: event.target.value })}
            aria-describedby="night-zone"
          />
        </label>
      </div>
      <p className="muted small" id="night-zone">
        Times in {info.timezone}.
      </p>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.nightMode}
          onChange={(event) => setDraft({ ...draft, nightMode: event.target.checked })}
        />{' '}
        Arm night mode (tasks run by themselves in the window)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.notifications}
          onChange={(event) => setDraft({ ...draft, notifications: event.target.checked })}
        />{' '}
        Desktop notifications when something needs you
      </label>
      <FirstTask />
    </StepFrame>
  );
}

function FirstTask() {
  const loaded = useWorkspacesStore((s) => s.workspaces);
  const workspaces = loaded.status === 'ready' ? loaded.data : [];
  const add = useTasksStore((s) => s.add);
  const [workspace, setWorkspace] = useState('');
  const [title, setTitle] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  if (workspaces.length === 0)
    return <p className="muted small">Once a repository is added, you can queue a first task here.</p>;
  const chosen = workspace || workspaces[0]?.name || '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problem = await add({ workspace: chosen, title });
    setOutcome(problem ? { ok: false, text: problem } : { ok: true, text: `Queued “${title}” for tonight.` });
    if (!problem) setTitle('');
  };
  return (
    <form className="form" aria-label="Queue a first task" onSubmit={(event) => void submit(event)}>
      <div className="form-row">
        <label className="field">
          <span>Workspace</span>
          <select value={chosen} onChange={(event) => setWorkspace(event.target.value)}>
            {workspaces.map((w) => (
              <option key={w.id} value={w.name}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>First task</span>
          <input
            value={title}
            required
            onChange={(event) => setTitle(event.target.value)}
            placeholder="Add input validation to the signup form"
          />
        </label>
        <button type="submit">Queue task</button>
      </div>
      {outcome && (
        <p className={outcome.ok ? '' : 'notice notice-error'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
    </form>
  );
}
