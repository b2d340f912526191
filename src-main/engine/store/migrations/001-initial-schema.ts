import type { Migration } from './migration';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema: workspaces, tasks, attempts, sessions',
  up(db) {
    db.exec(`
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        path TEXT NOT NULL UNIQUE,
        base_branch TEXT NOT NULL,
        target_branch TEXT NOT NULL,
        checks_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed')),
        trigger TEXT NOT NULL,
        settings_json TEXT NOT NULL,
        stats_json TEXT NOT NULL,
        end_reason TEXT
      );

      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        criteria_json TEXT NOT NULL DEFAULT '[]',
        priority TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'critical')),
        executor TEXT NOT NULL CHECK (executor IN ('direct', 'spec')),
        files_json TEXT NOT NULL DEFAULT '[]',
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'review', 'merged', 'rejected', 'failed', 'cancelled')),
        status_reason TEXT,
        retry_note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX tasks_by_status ON tasks(status, priority, created_at);

      CREATE TABLE attempts (
        id TEXT PRIMARY KEY,
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
        number INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('running', 'review', 'merged', 'rejected', 'failed', 'interrupted')),
        branch TEXT NOT NULL,
        worktree_path TEXT,
        base_commit TEXT,
        head_commit TEXT,
        target_branch TEXT NOT NULL,
        score REAL,
        score_json TEXT,
        decision TEXT,
        reasons_json TEXT NOT NULL DEFAULT '[]',
        checks_before_json TEXT,
        checks_after_json TEXT,
        diff_json TEXT,
        cycles INTEGER NOT NULL DEFAULT 0,
        merged_commit TEXT,
        backup_ref TEXT,
        review_note TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        UNIQUE (task_id, number)
      );
      CREATE INDEX attempts_by_session ON attempts(session_id);
      CREATE INDEX attempts_by_status ON attempts(status);
    `);
  },
};
