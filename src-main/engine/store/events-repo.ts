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

/** An events row as values: id, session_id, task_id, attempt_id, type, message, data_json, created_at. */
type EventValues = [number, string | null, string | null, string | null, string, string, string | null, string];

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
    // Raw value arrays in a fixed column order, mapped without a row object, closure or message string
    // per event: a night of 10,000 attempts has 20,000 events, and the garbage those made was what made
    // the report grow faster than its rows (bench/scale.ts).
    const rows = this.db
      .prepare(
        'SELECT id, session_id, task_id, attempt_id, type, message, data_json, created_at FROM events WHERE session_id = ? ORDER BY id',
      )
      .raw(true)
      .all(sessionId) as EventValues[];
    const events = new Array<EngineEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as EventValues;
      events[i] = {
        id: row[0],
        sessionId: row[1],
        taskId: row[2],
        attemptId: row[3],
        type: row[4],
        message: row[5],
        data: readJson(row[6], 'events.data_json', row[0]),
        createdAt: row[7],
      };
    }
    return events;
  }
}
