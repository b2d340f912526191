import type { SqliteDatabase } from './database';
import { readJson, writeJson } from './json-column';
import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';

export interface EngineEvent {
  id: number;
  sessionId: string | null;
  taskId: string | null;
  attemptId: string | null;
  type: string;
  message: string;
  data: unknown;
  createdAt: string;
}

interface EventRow {
  id: number;
  session_id: string | null;
  task_id: string | null;
  attempt_id: string | null;
  type: string;
  message: string;
  data_json: string | null;
  created_at: string;
}

/** The session timeline: what happened, in order, for the report and the UI. */
export class EventsRepo {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  append(input: Omit<EngineEvent, 'id' | 'createdAt'>, now: Date): EngineEvent {
    const event = { ...input, message: this.redactor.text(input.message), data: this.redactor.value(input.data) };
    const result = this.db
      .prepare(
        'INSERT INTO events (session_id, task_id, attempt_id, type, message, data_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        event.sessionId,
        event.taskId,
        event.attemptId,
        event.type,
        event.message,
        event.data === undefined ? null : writeJson(event.data),
        now.toISOString(),
      );
    return { ...event, id: Number(result.lastInsertRowid), createdAt: now.toISOString() };
  }

  forSession(sessionId: string): EngineEvent[] {
    return (this.db.prepare('SELECT * FROM events WHERE session_id = ? ORDER BY id').all(sessionId) as EventRow[]).map(
      (row) => ({
        id: row.id,
        sessionId: row.session_id,
        taskId: row.task_id,
        attemptId: row.attempt_id,
        type: row.type,
        message: row.message,
        data: readJson(row.data_json, `events.data_json (${row.id})`),
        createdAt: row.created_at,
      }),
    );
  }
}
