import type { Migration } from './migration';

export const interactionsUsageEvents: Migration = {
  version: 2,
  name: 'interactions, usage ledger and events',
  up(db) {
    db.exec(`
      CREATE TABLE interactions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
        attempt_id TEXT REFERENCES attempts(id) ON DELETE SET NULL,
        agent TEXT NOT NULL,
        schema_name TEXT NOT NULL,
        instruction TEXT NOT NULL,
        response TEXT,
        error TEXT,
        prompt_tokens INTEGER NOT NULL DEFAULT 0,
        completion_tokens INTEGER NOT NULL DEFAULT 0,
        cached_tokens INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        approval TEXT,
        approval_reason TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX interactions_by_attempt ON interactions(attempt_id);

      CREATE TABLE usage (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        task_id TEXT REFERENCES tasks(id) ON DELETE SET NULL,
        attempt_id TEXT REFERENCES attempts(id) ON DELETE SET NULL,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cached_tokens INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        energy_wh REAL NOT NULL,
        free INTEGER NOT NULL CHECK (free IN (0, 1)),
        created_at TEXT NOT NULL
      );
      CREATE INDEX usage_by_month ON usage(created_at);

      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        task_id TEXT,
        attempt_id TEXT,
        type TEXT NOT NULL,
        message TEXT NOT NULL,
        data_json TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX events_by_session ON events(session_id, id);
    `);
  },
};
