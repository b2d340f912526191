import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';
import type { Attempt, Task } from '../../../src-shared/domain/records';
import { canTransitionTask } from '../../../src-shared/domain/task';
import type { TaskExecutor, TaskPriority, TaskStatus } from '../../../src-shared/domain/task';
import { NocturnalError } from '../errors/nocturnal-error';
import type { AttemptsRepo } from './attempts-repo';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database';
import { newId } from './ids';
import { queueRankSql } from './migrations/007-scale-indexes';
import { readJson, writeJson } from './json-column';

interface TaskRow {
  id: string;
  workspace_id: string;
  workspace_name: string;
  title: string;
  description: string;
  criteria_json: string;
  priority: TaskPriority;
  executor: TaskExecutor;
  files_json: string;
  status: TaskStatus;
  status_reason: string | null;
  retry_note: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewTask {
  workspaceId: string;
  title: string;
  description: string;
  criteria: string[];
  priority: TaskPriority;
  executor: TaskExecutor;
  files: string[];
}

const selectTask = `SELECT t.*, w.name AS workspace_name FROM tasks t JOIN workspaces w ON w.id = t.workspace_id`;

/** The queue's order, on the expression index tasks_queue (migration 007): priority, then age. */
const queueOrder = `ORDER BY (${queueRankSql.replaceAll('priority', 't.priority')}), t.created_at, t.id`;

/** What the morning report needs of a task, without its attempts. */
export interface TaskHead {
  id: string;
  title: string;
  workspace: string;
  status: TaskStatus;
}

export class TasksRepo {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly attempts: AttemptsRepo,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  add(input: NewTask, now: Date): Task {
    const id = newId('t');
    const stamp = now.toISOString();
    this.db
      .prepare(
        `INSERT INTO tasks (id, workspace_id, title, description, criteria_json, priority, executor, files_json, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      )
      .run(
        id,
        input.workspaceId,
        this.redactor.secrets(input.title),
        this.redactor.secrets(input.description),
        writeJson(input.criteria.map((c) => this.redactor.secrets(c))),
        input.priority,
        input.executor,
        writeJson(input.files),
        stamp,
        stamp,
      );
    return this.require(id);
  }

  get(id: string): Task | undefined {
    const [row] = readTaskRows(this.db.prepare(`${selectTask} WHERE t.id = ?`), [id]);
    return row && toTask(row, this.attempts.forTask(row.id));
  }

  require(id: string): Task {
    const task = this.get(id);
    if (!task) throw new NocturnalError('not_found', `no task with id "${id}" (see \`nocturnal task list\`)`);
    return task;
  }

  list(filter: { status?: TaskStatus; workspaceId?: string } = {}): Task[] {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.status) {
      where.push('t.status = ?');
      args.push(filter.status);
    }
    if (filter.workspaceId) {
      where.push('t.workspace_id = ?');
      args.push(filter.workspaceId);
    }
    const filterSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    return this.withAttempts(
      readTaskRows(this.db.prepare(`${selectTask}${filterSql} ORDER BY t.created_at, t.id`), args),
      `SELECT t.id FROM tasks t${filterSql}`,
      args,
    );
  }

  /** Queued tasks in the order a night works them: priority first, then age. */
  queue(): Task[] {
    return this.withAttempts(
      readTaskRows(this.db.prepare(`${selectTask} WHERE t.status = 'queued' ${queueOrder}`), []),
      `SELECT id FROM tasks WHERE status = 'queued'`,
      [],
    );
  }

  /**
   * The task a night works next: one indexed row, not the whole queue loaded and sorted. `skip` leaves out
   * the workspace/executor pairs the night planner holds back (their estimate does not fit the time left):
   * SQLite still walks the queue index in order and passes over only the skipped rows.
   */
  next(skip: readonly { workspaceId: string; executor: TaskExecutor }[] = []): Task | undefined {
    const skipSql = skip.map(() => ' AND NOT (t.workspace_id = ? AND t.executor = ?)').join('');
    const [row] = readTaskRows(
      this.db.prepare(`${selectTask} WHERE t.status = 'queued'${skipSql} ${queueOrder} LIMIT 1`),
      skip.flatMap((s) => [s.workspaceId, s.executor]),
    );
    return row && toTask(row, this.attempts.forTask(row.id));
  }

  /** The queue in order without attempts or texts: what the night planner estimates. */
  queueHeads(): {
    id: string;
    title: string;
    priority: TaskPriority;
    executor: TaskExecutor;
    workspaceId: string;
    createdAt: string;
  }[] {
    return this.db
      .prepare(
        `SELECT t.id, t.title, t.priority, t.executor, t.workspace_id AS workspaceId, t.created_at AS createdAt FROM tasks t WHERE t.status = 'queued' ${queueOrder}`,
      )
      .all() as {
      id: string;
      title: string;
      priority: TaskPriority;
      executor: TaskExecutor;
      workspaceId: string;
      createdAt: string;
    }[];
  }

  /** Id, title, workspace and status of every task a session attempted, in one query. */
  headsForSession(sessionId: string): Map<string, TaskHead> {
    const rows = this.db
      .prepare(
        `SELECT t.id, t.title, t.status, w.name AS workspace FROM tasks t JOIN workspaces w ON w.id = t.workspace_id
         WHERE t.id IN (SELECT task_id FROM attempts WHERE session_id = ?)`,
      )
      .all(sessionId) as TaskHead[];
    return new Map(rows.map((r) => [r.id, r]));
  }

  countsByStatus(): Record<TaskStatus, number> {
    const counts: Record<TaskStatus, number> = {
      queued: 0,
      running: 0,
      review: 0,
      merged: 0,
      rejected: 0,
      failed: 0,
      cancelled: 0,
    };
    for (const row of this.db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status').all() as {
      status: TaskStatus;
      n: number;
    }[]) {
      counts[row.status] = row.n;
    }
    return counts;
  }

  /** Edits a task that has not started; refused (with the reason) once a night has picked it up. */
  update(id: string, changes: Partial<Omit<NewTask, 'workspaceId'>>, now: Date): Task {
    const task = this.require(id);
    if (task.status !== 'queued')
      throw new NocturnalError('conflict', `task ${id} is ${task.status}; only queued tasks can be edited`);
    const next = { ...task, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) };
    const result = this.db
      .prepare(
        `UPDATE tasks SET title = ?, description = ?, criteria_json = ?, priority = ?, executor = ?, files_json = ?, updated_at = ?
         WHERE id = ? AND status = 'queued'`,
      )
      .run(
        next.title,
        next.description,
        writeJson(next.criteria),
        next.priority,
        next.executor,
        writeJson(next.files),
        now.toISOString(),
        id,
      );
    if (result.changes === 0)
      throw new NocturnalError('conflict', `task ${id} started while it was being edited; it can no longer be changed`);
    return this.require(id);
  }

  /**
   * Moves a task along its life cycle. The transition is checked against the shared table and
   * applied with a compare-and-swap on the old status, so two processes cannot both move it.
   */
  transition(
    id: string,
    to: TaskStatus,
    now: Date,
    details: { reason?: string | null; retryNote?: string | null } = {},
  ): Task {
    this.move(id, to, now, details);
    return this.require(id);
  }

  /**
   * `transition` without reading the task and its attempts back: the scheduler moves a task twice per
   * attempt and never looks at the result. The status is read alone for the compare-and-swap.
   */
  move(
    id: string,
    to: TaskStatus,
    now: Date,
    details: { reason?: string | null; retryNote?: string | null } = {},
  ): void {
    const task = this.db.prepare('SELECT status FROM tasks WHERE id = ?').get(id) as { status: TaskStatus } | undefined;
    if (!task) throw new NocturnalError('not_found', `no task with id "${id}" (see \`nocturnal task list\`)`);
    if (!canTransitionTask(task.status, to)) {
      throw new NocturnalError('conflict', `task ${id} is ${task.status}; it cannot become ${to}`);
    }
    const result = this.db
      .prepare(
        `UPDATE tasks SET status = ?, status_reason = ?, retry_note = COALESCE(?, retry_note), updated_at = ?
         WHERE id = ? AND status = ?`,
      )
      .run(
        to,
        details.reason == null ? null : this.redactor.text(details.reason),
        details.retryNote == null ? null : this.redactor.secrets(details.retryNote),
        now.toISOString(),
        id,
        task.status,
      );
    if (result.changes === 0)
      throw new NocturnalError('conflict', `task ${id} changed while it was being updated; try again`);
  }

  /** Rows with their attempts loaded in one query (not one per task). */
  private withAttempts(rows: TaskRow[], taskIdsSql: string, args: readonly unknown[]): Task[] {
    if (rows.length === 0) return [];
    const attempts = this.attempts.forTasksSelectedBy(taskIdsSql, args);
    const tasks = new Array<Task>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as TaskRow;
      tasks[i] = toTask(row, attempts.get(row.id) ?? []);
    }
    return tasks;
  }
}

const taskColumns = [
  'id',
  'workspace_id',
  'workspace_name',
  'title',
  'description',
  'criteria_json',
  'priority',
  'executor',
  'files_json',
  'status',
  'status_reason',
  'retry_note',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof TaskRow)[];

/**
 * Task rows read as raw value arrays and copied into a row of fixed shape by column position: like
 * attempts (see attempts-repo's readAttempts), a whole task list of wide row objects built property by
 * property cost more than its rows at 10,000 attempts (bench/scale.ts).
 */
function readTaskRows(statement: Statement, args: readonly unknown[]): TaskRow[] {
  const names = statement.columns().map((c) => c.name);
  const at = Object.fromEntries(taskColumns.map((key) => [key, names.indexOf(key)])) as Record<
    (typeof taskColumns)[number],
    number
  >;
  const raw = statement.raw(true).all(...args) as unknown[][];
  const rows = new Array<TaskRow>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const v = raw[i] ?? [];
    rows[i] = {
      id: v[at.id] as string,
      workspace_id: v[at.workspace_id] as string,
      workspace_name: v[at.workspace_name] as string,
      title: v[at.title] as string,
      description: v[at.description] as string,
      criteria_json: v[at.criteria_json] as string,
      priority: v[at.priority] as TaskPriority,
      executor: v[at.executor] as TaskExecutor,
      files_json: v[at.files_json] as string,
      status: v[at.status] as TaskStatus,
      status_reason: v[at.status_reason] as string | null,
      retry_note: v[at.retry_note] as string | null,
      created_at: v[at.created_at] as string,
      updated_at: v[at.updated_at] as string,
    };
  }
  return rows;
}

function toTask(row: TaskRow, attempts: Attempt[]): Task {
  return {
    id: row.id,
    workspace: row.workspace_name,
    workspaceId: row.workspace_id,
    title: row.title,
    description: row.description,
    criteria: readJson<string[]>(row.criteria_json, 'tasks.criteria_json', row.id) ?? [],
    priority: row.priority,
    executor: row.executor,
    files: readJson<string[]>(row.files_json, 'tasks.files_json', row.id) ?? [],
    status: row.status,
    statusReason: row.status_reason,
    retryNote: row.retry_note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    attempts,
  };
}
