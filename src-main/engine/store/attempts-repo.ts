import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';
import type { Attempt } from '../../../src-shared/domain/records';
import { canTransitionAttempt } from '../../../src-shared/domain/attempt';
import type {
  AttemptDecision,
  AttemptSpec,
  AttemptStatus,
  CheckOutcome,
  DiffStats,
  ScoreBreakdown,
} from '../../../src-shared/domain/attempt';
import type { TaskExecutor } from '../../../src-shared/domain/task';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database';
import { attemptId } from './ids';
import { readJson, writeJson } from './json-column';

interface AttemptRow {
  id: string;
  task_id: string;
  session_id: string | null;
  number: number;
  status: AttemptStatus;
  branch: string;
  worktree_path: string | null;
  base_commit: string | null;
  head_commit: string | null;
  target_branch: string;
  score: number | null;
  score_json: string | null;
  decision: AttemptDecision | null;
  reasons_json: string;
  checks_before_json: string | null;
  checks_after_json: string | null;
  diff_json: string | null;
  cycles: number;
  merged_commit: string | null;
  backup_ref: string | null;
  review_note: string | null;
  spec_json: string | null;
  started_at: string;
  ended_at: string | null;
}

export interface FinishedAttemptFigures {
  workspaceId: string;
  executor: TaskExecutor;
  cycles: number;
  durationMs: number;
  completionTokens: number;
  modelMs: number;
}

export interface AttemptUpdate {
  worktreePath?: string | null;
  baseCommit?: string | null;
  headCommit?: string | null;
  score?: number | null;
  scoreBreakdown?: ScoreBreakdown | null;
  decision?: AttemptDecision | null;
  reasons?: string[];
  checksBefore?: CheckOutcome[] | null;
  checksAfter?: CheckOutcome[] | null;
  diff?: DiffStats | null;
  cycles?: number;
  mergedCommit?: string | null;
  backupRef?: string | null;
  reviewNote?: string | null;
  spec?: AttemptSpec | null;
}

const columns: Record<keyof AttemptUpdate, { column: string; json: boolean }> = {
  worktreePath: { column: 'worktree_path', json: false },
  baseCommit: { column: 'base_commit', json: false },
  headCommit: { column: 'head_commit', json: false },
  score: { column: 'score', json: false },
  scoreBreakdown: { column: 'score_json', json: true },
  decision: { column: 'decision', json: false },
  reasons: { column: 'reasons_json', json: true },
  checksBefore: { column: 'checks_before_json', json: true },
  checksAfter: { column: 'checks_after_json', json: true },
  diff: { column: 'diff_json', json: true },
  cycles: { column: 'cycles', json: false },
  mergedCommit: { column: 'merged_commit', json: false },
  backupRef: { column: 'backup_ref', json: false },
  reviewNote: { column: 'review_note', json: false },
  spec: { column: 'spec_json', json: true },
};

const rowKeys = [
  'id',
  'task_id',
  'session_id',
  'number',
  'status',
  'branch',
  'worktree_path',
  'base_commit',
  'head_commit',
  'target_branch',
  'score',
  'score_json',
  'decision',
  'reasons_json',
  'checks_before_json',
  'checks_after_json',
  'diff_json',
  'cycles',
  'merged_commit',
  'backup_ref',
  'review_note',
  'spec_json',
  'started_at',
  'ended_at',
] as const satisfies readonly (keyof AttemptRow)[];

/** Where each column sits in a raw row of `SELECT * FROM attempts` (found once per statement, by name). */
type ColumnIndex = Record<(typeof rowKeys)[number], number>;

/**
 * Attempts read as raw value arrays and mapped by column position straight into `Attempt`s.
 * better-sqlite3 builds a row object by adding its 24 properties one by one, which V8 keeps as slow
 * dictionary objects: at 10,000 rows that made a session's attempts cost 23× the time of 1,000
 * (measured with bench/scale.ts). No row object, closure or message string is made per row either:
 * at 10,000 rows the garbage collector's share is what made the time grow faster than the rows.
 */
function readAttempts(statement: Statement, args: readonly unknown[]): Attempt[] {
  const names = statement.columns().map((c) => c.name);
  const at = Object.fromEntries(rowKeys.map((key) => [key, names.indexOf(key)])) as ColumnIndex;
  const raw = statement.raw(true).all(...args) as unknown[][];
  const attempts = new Array<Attempt>(raw.length);
  for (let i = 0; i < raw.length; i++) attempts[i] = toAttempt(raw[i] ?? [], at);
  return attempts;
}

/** Every field of an Attempt built by SQLite, in the order toAttempt builds them (JSON columns nested as JSON). */
const attemptJsonObject = `json_object(
  'id', id, 'taskId', task_id, 'sessionId', session_id, 'number', number, 'status', status, 'branch', branch,
  'worktreePath', worktree_path, 'baseCommit', base_commit, 'headCommit', head_commit, 'targetBranch', target_branch,
  'score', score, 'scoreBreakdown', json(score_json), 'decision', decision,
  'reasons', COALESCE(json(reasons_json), json_array()), 'checksBefore', json(checks_before_json),
  'checksAfter', json(checks_after_json), 'diff', json(diff_json), 'cycles', cycles, 'mergedCommit', merged_commit,
  'backupRef', backup_ref, 'reviewNote', review_note, 'spec', json(spec_json), 'startedAt', started_at,
  'endedAt', ended_at)`;

/**
 * Many attempts as one JSON text that SQLite builds, parsed once: the objects JSON.parse makes are the
 * attempts themselves, with no raw row, column string or intermediate object per attempt for the
 * garbage collector to copy. That garbage, not the rows, was what made a 10,000-attempt task list or
 * report cost ~20× a 1,000-attempt one (bench/scale.ts: ~8× and ~12× this way; a small list pays a
 * few ms more for SQLite's JSON functions). The rows come in index order from the inner
 * query (a co-routine: no sort) and are added to the array in that order. A damaged JSON column makes
 * SQLite's json() refuse the whole statement; the same rows are then read one by one, which names the
 * row and column.
 */
function readAttemptsAsJson(db: SqliteDatabase, where: string, order: string, args: readonly unknown[]): Attempt[] {
  let text: string;
  try {
    text = db
      .prepare(
        `SELECT json_group_array(json(attempt)) FROM (SELECT ${attemptJsonObject} AS attempt FROM attempts WHERE ${where} ORDER BY ${order})`,
      )
      .pluck()
      .get(...args) as string;
  } catch (error) {
    if (!(error instanceof Error && /malformed JSON/i.test(error.message))) throw error;
    return readAttempts(db.prepare(`SELECT * FROM attempts WHERE ${where} ORDER BY ${order}`), args);
  }
  return JSON.parse(text) as Attempt[];
}

export class AttemptsRepo {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  /** Creates the next attempt of a task; the number is derived in the same statement to avoid races. */
  start(
    input: { taskId: string; sessionId: string | null; branchPrefix: string; targetBranch: string },
    now: Date,
  ): Attempt {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT COALESCE(MAX(number), 0) + 1 AS n FROM attempts WHERE task_id = ?')
        .get(input.taskId) as { n: number };
      const id = attemptId(input.taskId, row.n);
      this.db
        .prepare(
          `INSERT INTO attempts (id, task_id, session_id, number, status, branch, target_branch, started_at)
           VALUES (?, ?, ?, ?, 'running', ?, ?, ?)`,
        )
        .run(
          id,
          input.taskId,
          input.sessionId,
          row.n,
          `${input.branchPrefix}/${input.taskId}/${row.n}`,
          input.targetBranch,
          now.toISOString(),
        );
      return this.require(id);
    })();
  }

  get(id: string): Attempt | undefined {
    return readAttempts(this.db.prepare('SELECT * FROM attempts WHERE id = ?'), [id])[0];
  }

  require(id: string): Attempt {
    const attempt = this.get(id);
    if (!attempt) throw new NocturnalError('not_found', `no attempt with id "${id}" (see \`nocturnal review list\`)`);
    return attempt;
  }

  forTask(taskId: string): Attempt[] {
    return readAttempts(this.db.prepare('SELECT * FROM attempts WHERE task_id = ? ORDER BY number'), [taskId]);
  }

  forSession(sessionId: string): Attempt[] {
    return readAttemptsAsJson(this.db, 'session_id = ?', 'started_at, id', [sessionId]);
  }

  /**
   * The attempts of every task `taskIdsSql` selects, grouped by task in number order: one query for a
   * whole task list instead of one per task.
   */
  forTasksSelectedBy(taskIdsSql: string, args: readonly unknown[]): Map<string, Attempt[]> {
    const byTask = new Map<string, Attempt[]>();
    for (const attempt of readAttemptsAsJson(this.db, `task_id IN (${taskIdsSql})`, 'task_id, number', args)) {
      const list = byTask.get(attempt.taskId);
      if (list) list.push(attempt);
      else byTask.set(attempt.taskId, [attempt]);
    }
    return byTask;
  }

  /**
   * The latest finished attempts (newest first), each with its workspace, executor, cycles, wall time
   * and the model's share of it from the usage ledger: the night planner's history.
   */
  recentFinished(limit: number): FinishedAttemptFigures[] {
    return this.db
      .prepare(
        `SELECT t.workspace_id AS workspaceId, t.executor AS executor, a.cycles AS cycles,
           CAST(ROUND((julianday(a.ended_at) - julianday(a.started_at)) * 86400000) AS INTEGER) AS durationMs,
           COALESCE((SELECT SUM(u.completion_tokens) FROM usage u WHERE u.attempt_id = a.id), 0) AS completionTokens,
           COALESCE((SELECT SUM(u.duration_ms) FROM usage u WHERE u.attempt_id = a.id), 0) AS modelMs
         FROM attempts a JOIN tasks t ON t.id = a.task_id
         WHERE a.ended_at IS NOT NULL AND a.status NOT IN ('running', 'interrupted')
         ORDER BY a.started_at DESC LIMIT ?`,
      )
      .all(limit) as FinishedAttemptFigures[];
  }

  countWithStatus(status: AttemptStatus): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE status = ?').get(status) as { n: number }).n;
  }

  withStatus(status: AttemptStatus): Attempt[] {
    return readAttempts(this.db.prepare('SELECT * FROM attempts WHERE status = ? ORDER BY started_at, id'), [status]);
  }

  /**
   * Changes the engine merged by itself (decision `merge`) that landed at or after `since`, whichever
   * session made them — for `scheduler.max_changes_per_night`. An undone merge still counts: it did land.
   */
  countAutoMergedSince(since: Date): number {
    const row = this.db
      .prepare(
        `SELECT COUNT(*) AS n FROM attempts WHERE decision = 'merge' AND status IN ('merged', 'undone') AND ended_at >= ?`,
      )
      .get(since.toISOString()) as { n: number };
    return row.n;
  }

  update(id: string, input: AttemptUpdate): Attempt {
    this.write(id, input);
    return this.require(id);
  }

  /**
   * `update` without reading the row back: the attempt recorder writes several times per attempt and
   * never looks at the result, and reading it back (a SELECT and every JSON column parsed) cost more
   * than the write. An id that names no attempt still fails, as in `update`.
   */
  write(id: string, input: AttemptUpdate): void {
    // Reasons quote errors (a server may echo the API key in one) and the user's notes.
    const changes: AttemptUpdate = {
      ...input,
      ...(input.reasons ? { reasons: input.reasons.map((r) => this.redactor.text(r)) } : {}),
      ...(typeof input.reviewNote === 'string' ? { reviewNote: this.redactor.text(input.reviewNote) } : {}),
    };
    const sets: string[] = [];
    const args: unknown[] = [];
    for (const [key, value] of Object.entries(changes) as [keyof AttemptUpdate, unknown][]) {
      if (value === undefined) continue;
      const spec = columns[key];
      sets.push(`${spec.column} = ?`);
      args.push(spec.json && value !== null ? writeJson(value) : value);
    }
    const changed =
      sets.length > 0
        ? this.db.prepare(`UPDATE attempts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id).changes
        : (this.db.prepare('SELECT COUNT(*) AS n FROM attempts WHERE id = ?').get(id) as { n: number }).n;
    if (changed === 0)
      throw new NocturnalError('not_found', `no attempt with id "${id}" (see \`nocturnal review list\`)`);
  }

  /** Compare-and-swap on the status, checked against the shared transition table. */
  transition(id: string, to: AttemptStatus, now: Date, changes: AttemptUpdate = {}): Attempt {
    // Only what the compare-and-swap needs: the whole attempt is read once, after the change.
    const attempt = this.db.prepare('SELECT status, ended_at AS endedAt FROM attempts WHERE id = ?').get(id) as
      { status: AttemptStatus; endedAt: string | null } | undefined;
    if (!attempt) throw new NocturnalError('not_found', `no attempt with id "${id}" (see \`nocturnal review list\`)`);
    if (!canTransitionAttempt(attempt.status, to)) {
      throw new NocturnalError('conflict', `attempt ${id} is ${attempt.status}; it cannot become ${to}`);
    }
    return this.db.transaction(() => {
      const result = this.db
        .prepare('UPDATE attempts SET status = ?, ended_at = ? WHERE id = ? AND status = ?')
        // Undo comes after the attempt ended: it keeps the time the attempt itself ended.
        .run(
          to,
          to === 'running' ? null : to === 'undone' ? (attempt.endedAt ?? now.toISOString()) : now.toISOString(),
          id,
          attempt.status,
        );
      if (result.changes === 0)
        throw new NocturnalError('conflict', `attempt ${id} changed while it was being updated; try again`);
      return this.update(id, changes);
    })();
  }
}

/** One raw row to an Attempt: plain indexing, no closure per row (tsx names every closure it makes). */
function toAttempt(v: readonly unknown[], at: ColumnIndex): Attempt {
  const id = v[at.id] as string;
  return {
    id,
    taskId: v[at.task_id] as string,
    sessionId: v[at.session_id] as string | null,
    number: v[at.number] as number,
    status: v[at.status] as AttemptStatus,
    branch: v[at.branch] as string,
    worktreePath: v[at.worktree_path] as string | null,
    baseCommit: v[at.base_commit] as string | null,
    headCommit: v[at.head_commit] as string | null,
    targetBranch: v[at.target_branch] as string,
    score: v[at.score] as number | null,
    scoreBreakdown: readJson<ScoreBreakdown>(v[at.score_json] as string | null, 'attempts.score_json', id),
    decision: v[at.decision] as AttemptDecision | null,
    reasons: readJson<string[]>(v[at.reasons_json] as string | null, 'attempts.reasons_json', id) ?? [],
    checksBefore: readJson<CheckOutcome[]>(
      v[at.checks_before_json] as string | null,
      'attempts.checks_before_json',
      id,
    ),
    checksAfter: readJson<CheckOutcome[]>(v[at.checks_after_json] as string | null, 'attempts.checks_after_json', id),
    diff: readJson<DiffStats>(v[at.diff_json] as string | null, 'attempts.diff_json', id),
    cycles: v[at.cycles] as number,
    mergedCommit: v[at.merged_commit] as string | null,
    backupRef: v[at.backup_ref] as string | null,
    reviewNote: v[at.review_note] as string | null,
    spec: readJson<AttemptSpec>(v[at.spec_json] as string | null, 'attempts.spec_json', id),
    startedAt: v[at.started_at] as string,
    endedAt: v[at.ended_at] as string | null,
  };
}
