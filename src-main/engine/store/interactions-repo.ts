import type { SqliteDatabase } from './database';
import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';

export interface InteractionContext {
  sessionId: string | null;
  taskId: string | null;
  attemptId: string | null;
}

export interface NewInteraction extends InteractionContext {
  agent: string;
  schemaName: string;
  instruction: string;
  response: string | null;
  error: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  durationMs: number;
  provider: string;
  model: string;
}

export interface Interaction extends NewInteraction {
  id: number;
  approval: string | null;
  approvalReason: string | null;
  createdAt: string;
}

interface InteractionRow {
  id: number;
  session_id: string | null;
  task_id: string | null;
  attempt_id: string | null;
  agent: string;
  schema_name: string;
  instruction: string;
  response: string | null;
  error: string | null;
  prompt_tokens: number;
  completion_tokens: number;
  cached_tokens: number;
  duration_ms: number;
  provider: string;
  model: string;
  approval: string | null;
  approval_reason: string | null;
  created_at: string;
}

/** Every model call: what was asked, what came back (or the error), and what it cost in tokens. */
export class InteractionsRepo {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  record(input: NewInteraction, now: Date): number {
    const result = this.db
      .prepare(
        `INSERT INTO interactions (session_id, task_id, attempt_id, agent, schema_name, instruction, response, error,
           prompt_tokens, completion_tokens, cached_tokens, duration_ms, provider, model, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.sessionId,
        input.taskId,
        input.attemptId,
        input.agent,
        input.schemaName,
        // What was sent and received is kept for the report, never the secrets in it.
        this.redactor.text(input.instruction),
        input.response === null ? null : this.redactor.text(input.response),
        input.error === null ? null : this.redactor.text(input.error),
        input.promptTokens,
        input.completionTokens,
        input.cachedTokens,
        input.durationMs,
        input.provider,
        input.model,
        now.toISOString(),
      );
    return Number(result.lastInsertRowid);
  }

  /** Attaches the human or automatic decision to every interaction of an attempt. */
  recordApproval(attemptId: string, approval: string, reason: string | null): void {
    this.db
      .prepare('UPDATE interactions SET approval = ?, approval_reason = ? WHERE attempt_id = ?')
      .run(approval, reason === null ? null : this.redactor.text(reason), attemptId);
  }

  forAttempt(attemptId: string): Interaction[] {
    return (
      this.db.prepare('SELECT * FROM interactions WHERE attempt_id = ? ORDER BY id').all(attemptId) as InteractionRow[]
    ).map(toInteraction);
  }

  forSession(sessionId: string): Interaction[] {
    return (
      this.db.prepare('SELECT * FROM interactions WHERE session_id = ? ORDER BY id').all(sessionId) as InteractionRow[]
    ).map(toInteraction);
  }
}

function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id,
    sessionId: row.session_id,
    taskId: row.task_id,
    attemptId: row.attempt_id,
    agent: row.agent,
    schemaName: row.schema_name,
    instruction: row.instruction,
    response: row.response,
    error: row.error,
    promptTokens: row.prompt_tokens,
    completionTokens: row.completion_tokens,
    cachedTokens: row.cached_tokens,
    durationMs: row.duration_ms,
    provider: row.provider,
    model: row.model,
    approval: row.approval,
    approvalReason: row.approval_reason,
    createdAt: row.created_at,
  };
}
