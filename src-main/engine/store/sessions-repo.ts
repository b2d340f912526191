import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';
import { emptySessionStats } from '../../../src-shared/domain/records';
import type { Session, SessionStats, SessionStatus } from '../../../src-shared/domain/records';
import type { SqliteDatabase } from './database';
import { newId } from './ids';
import { readJson, writeJson } from './json-column';

interface SessionRow {
  id: string;
  started_at: string;
  ended_at: string | null;
  status: SessionStatus;
  trigger: string;
  settings_json: string;
  stats_json: string;
  end_reason: string | null;
}

export class SessionsRepo {
  constructor(
    private readonly db: SqliteDatabase,
    private readonly redactor: Redactor = createRedactor(),
  ) {}

  start(input: { trigger: string; settings: unknown }, now: Date): Session {
    const id = newId('s');
    this.db
      .prepare(
        `INSERT INTO sessions (id, started_at, status, trigger, settings_json, stats_json) VALUES (?, ?, 'running', ?, ?, ?)`,
      )
      .run(id, now.toISOString(), input.trigger, writeJson(input.settings), writeJson(emptySessionStats()));
    return this.require(id);
  }

  get(id: string): Session | undefined {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as SessionRow | undefined;
    return row && toSession(row);
  }

  require(id: string): Session {
    const session = this.get(id);
    if (!session) throw new Error(`no session with id "${id}"`);
    return session;
  }

  latest(): Session | undefined {
    const row = this.db.prepare('SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as
      SessionRow | undefined;
    return row && toSession(row);
  }

  list(limit = 50): Session[] {
    return (
      this.db.prepare('SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as SessionRow[]
    ).map(toSession);
  }

  settings(id: string): unknown {
    const row = this.db.prepare('SELECT settings_json FROM sessions WHERE id = ?').get(id) as
      { settings_json: string } | undefined;
    return row ? readJson(row.settings_json, 'sessions.settings_json', id) : undefined;
  }

  saveStats(id: string, stats: SessionStats): void {
    this.db.prepare('UPDATE sessions SET stats_json = ? WHERE id = ?').run(writeJson(stats), id);
  }

  end(id: string, status: Exclude<SessionStatus, 'running'>, reason: string | null, now: Date): Session {
    this.db
      .prepare(`UPDATE sessions SET status = ?, end_reason = ?, ended_at = ? WHERE id = ? AND status = 'running'`)
      .run(status, reason === null ? null : this.redactor.text(reason), now.toISOString(), id);
    return this.require(id);
  }

  /** Sessions left `running` by a process that died: closed so reports are honest. */
  closeOrphans(reason: string, now: Date): string[] {
    const ids = (this.db.prepare(`SELECT id FROM sessions WHERE status = 'running'`).all() as { id: string }[]).map(
      (r) => r.id,
    );
    for (const id of ids) this.end(id, 'stopped', reason, now);
    return ids;
  }
}

function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status,
    trigger: row.trigger,
    stats: {
      ...emptySessionStats(),
      ...readJson<Partial<SessionStats>>(row.stats_json, 'sessions.stats_json', row.id),
    },
    endReason: row.end_reason,
  };
}
