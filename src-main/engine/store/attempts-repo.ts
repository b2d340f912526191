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

/**
 * Many attempts at once, read as raw value arrays. better-sqlite3 builds a row object by adding its 24
 * properties one by one, which V8 keeps as slow dictionary objects: at 10,000 rows that made a
 * session's attempts cost 23× the time of 1,000 (measured with bench/scale.ts); arrays mapped by
 * column position stay linear.
 */
function readAttempts(statement: Statement, args: readonly unknown[]): Attempt[] {
  const names = statement.columns().map((c) => c.name);
  const at = rowKeys.map((key) => names.indexOf(key));
  const raw = statement.raw(true).all(...args) as unknown[][];
  return raw.map((values) => {
    const v = (i: number) => values[at[i] ?? -1];
    return toAttempt({
      id: v(0),
      task_id: v(1),
      session_id: v(2),
      number: v(3),
      status: v(4),
      branch: v(5),
      worktree_path: v(6),
      base_commit: v(7),
      head_commit: v(8),
      target_branch: v(9),
      score: v(10),
      score_json: v(11),
      decision: v(12),
      reasons_json: v(13),
      checks_before_json: v(14),
      checks_after_json: v(15),
      diff_json: v(16),
      cycles: v(17),
      merged_commit: v(18),
      backup_ref: v(19),
      review_note: v(20),
      spec_json: v(21),
      started_at: v(22),
      ended_at: v(23),
    } as AttemptRow);
  });
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
    const row = this.db.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as AttemptRow | undefined;
    return row && toAttempt(row);
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
    return readAttempts(this.db.prepare('SELECT * FROM attempts WHERE session_id = ? ORDER BY started_at, id'), [
      sessionId,
    ]);
  }

  /**
   * The attempts of every task `taskIdsSql` selects, grouped by task in number order: one query for a
   * whole task list instead of one per task.
   */
  forTasksSelectedBy(taskIdsSql: string, args: readonly unknown[]): Map<string, Attempt[]> {
    const byTask = new Map<string, Attempt[]>();
    for (const attempt of readAttempts(
      this.db.prepare(`SELECT * FROM attempts WHERE task_id IN (${taskIdsSql}) ORDER BY task_id, number`),
      args,
    )) {
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
    if (sets.length > 0) this.db.prepare(`UPDATE attempts SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
    return this.require(id);
  }

  /** Compare-and-swap on the status, checked against the shared transition table. */
  transition(id: string, to: AttemptStatus, now: Date, changes: AttemptUpdate = {}): Attempt {
    const attempt = this.require(id);
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

function toAttempt(row: AttemptRow): Attempt {
  const where = (column: string) => `attempts.${column} (${row.id})`;
  return {
    id: row.id,
    taskId: row.task_id,
    sessionId: row.session_id,
    number: row.number,
    status: row.status,
    branch: row.branch,
    worktreePath: row.worktree_path,
    baseCommit: row.base_commit,
    headCommit: row.head_commit,
    targetBranch: row.target_branch,
    score: row.score,
    scoreBreakdown: readJson<ScoreBreakdown>(row.score_json, where('score_json')),
    decision: row.decision,
    reasons: readJson<string[]>(row.reasons_json, where('reasons_json')) ?? [],
    checksBefore: readJson<CheckOutcome[]>(row.checks_before_json, where('checks_before_json')),
    checksAfter: readJson<CheckOutcome[]>(row.checks_after_json, where('checks_after_json')),
    diff: readJson<DiffStats>(row.diff_json, where('diff_json')),
    cycles: row.cycles,
    mergedCommit: row.merged_commit,
    backupRef: row.backup_ref,
    reviewNote: row.review_note,
    spec: readJson<AttemptSpec>(row.spec_json, where('spec_json')),
    startedAt: row.started_at,
    endedAt: row.ended_at,
  };
}
