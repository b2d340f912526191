// The task queue: what runs tonight, highest priority first, with edit, priority (the order), cancel
// and retry; then everything that already ran. Live through `task:changed`.
import { useState } from 'react';
import type { Task } from '../../src-shared/domain/records';
import { priorityRank, taskPriorities } from '../../src-shared/domain/task';
import type { TaskPriority } from '../../src-shared/domain/task';
import { EmptyState } from '../components/EmptyState';
import { LoadableView } from '../components/LoadableView';
import { useConfigStore } from '../stores/config-store';
import { useTasksStore } from '../stores/tasks-store';
import { windowCapacity } from './capacity';
import { RunControls } from './RunControls';
import { TaskForm } from './TaskForm';

export function queueOrder(a: Task, b: Task): number {
  return priorityRank[b.priority] - priorityRank[a.priority] || a.createdAt.localeCompare(b.createdAt);
}

export function QueueView() {
  const tasks = useTasksStore((s) => s.tasks);
  const actionError = useTasksStore((s) => s.actionError);
  const config = useConfigStore((s) => s.config);

  return (
    <section className="view" aria-labelledby="queue-heading">
      <div className="view-head">
        <h2 id="queue-heading">Task queue</h2>
        <RunControls />
      </div>
      <TaskForm />
      {actionError && (
        <p className="notice notice-error" role="alert">
          {actionError}
        </p>
      )}
      <LoadableView value={tasks} what="the tasks">
        {(list) => {
          const queued = list.filter((t) => t.status === 'queued').sort(queueOrder);
          const rest = list.filter((t) => t.status !== 'queued').sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
          const capacity = config.status === 'ready' ? windowCapacity(config.data) : null;
          return (
            <>
              <section className="panel" aria-labelledby="tonight-heading">
                <h3 id="tonight-heading">Tonight</h3>
                {capacity && (
                  <p className="muted">
                    The{' '}
                    {config.status === 'ready'
                      ? `${config.data.scheduler.start_time}–${config.data.scheduler.end_time}`
                      : ''}{' '}
                    window fits about {capacity.tasks} task
                    {capacity.tasks === 1 ? '' : 's'} at up to{' '}
                    {config.status === 'ready' ? config.data.scheduler.max_task_minutes : ''} minutes each and merges at
                    most {capacity.mergeCap}; {queued.length} queued
                    {capacity.tasks < queued.length
                      ? ` — ${queued.length - capacity.tasks} will wait for another night`
                      : ''}
                    .
                  </p>
                )}
                {queued.length === 0 ? (
                  <EmptyState title="No tasks queued">Add a task above; it runs in the next night window.</EmptyState>
                ) : (
                  <ol className="task-list">
                    {queued.map((task) => (
                      <TaskRow key={task.id} task={task} />
                    ))}
                  </ol>
                )}
              </section>
              <section className="panel" aria-labelledby="done-heading">
                <h3 id="done-heading">Ran before</h3>
                {rest.length === 0 ? (
                  <p className="muted">No task has run yet.</p>
                ) : (
                  <ul className="task-list">
                    {rest.map((task) => (
                      <TaskRow key={task.id} task={task} />
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </LoadableView>
    </section>
  );
}

function TaskRow({ task }: { task: Task }) {
  const [editing, setEditing] = useState(false);
  const update = useTasksStore((s) => s.update);
  const cancel = useTasksStore((s) => s.cancel);
  const retry = useTasksStore((s) => s.retry);
  const headingId = `task-${task.id}`;
  return (
    <li className="task-row" aria-labelledby={headingId}>
      <div className="task-main">
        <span id={headingId} className="task-title">
          {task.title}
        </span>
        <span className={`badge badge-${task.status}`}>{task.status}</span>
        <span className="muted small">
          {task.workspace} · {task.executor}
          {task.statusReason ? ` · ${task.statusReason}` : ''}
        </span>
      </div>
      <div className="task-actions">
        {task.status === 'queued' && (
          <>
            <label className="field inline">
              <span>Priority</span>
              <select
                value={task.priority}
                onChange={(event) => void update({ id: task.id, priority: event.target.value as TaskPriority })}
                aria-label={`Priority of ${task.title}`}
              >
                {taskPriorities.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              onClick={() => setEditing(!editing)}
              aria-expanded={editing}
              aria-label={`Edit ${task.title}`}
            >
              Edit
            </button>
          </>
        )}
        {(task.status === 'queued' || task.status === 'review') && (
          <button type="button" onClick={() => void cancel(task.id)} aria-label={`Cancel ${task.title}`}>
            Cancel
          </button>
        )}
        {(task.status === 'failed' || task.status === 'rejected') && (
          <button type="button" onClick={() => void retry(task.id)} aria-label={`Retry ${task.title}`}>
            Retry
          </button>
        )}
      </div>
      {editing && <TaskForm task={task} onDone={() => setEditing(false)} />}
    </li>
  );
}
