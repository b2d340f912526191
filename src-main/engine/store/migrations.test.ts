import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NocturnalError } from '../errors/nocturnal-error';
import { migrate, openDatabase, schemaVersion } from './database';
import type { SqliteDatabase } from './database';
import { migrations } from './migrations';
import { initialSchema } from './migrations/001-initial-schema';
import { interactionsUsageEvents } from './migrations/002-interactions-usage-events';
import { attemptSpec } from './migrations/003-attempt-spec';
import { attemptUndone } from './migrations/004-attempt-undone';
import { workspaceSetup } from './migrations/005-workspace-setup';
import { workspaceStartFrom } from './migrations/006-workspace-start-from';
import { scaleIndexes } from './migrations/007-scale-indexes';

let dir: string;
const opened: SqliteDatabase[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-db-'));
});
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function open(list = migrations) {
  const db = openDatabase(path.join(dir, 'test.db'), list);
  opened.push(db);
  return db;
}

function tables(db: SqliteDatabase): string[] {
  return (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]
  ).map((r) => r.name);
}

function columns(db: SqliteDatabase, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((r) => r.name);
}

describe('migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('001 creates workspaces, tasks, attempts and sessions with their constraints', () => {
    const db = open([initialSchema]);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(
      expect.arrayContaining(['workspaces', 'tasks', 'attempts', 'sessions', 'schema_migrations']),
    );
    expect(columns(db, 'attempts')).toEqual(
      expect.arrayContaining(['branch', 'score', 'score_json', 'decision', 'backup_ref']),
    );
    // The status CHECK constraint refuses a state the life cycle does not know.
    db.prepare(`INSERT INTO workspaces VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`).run();
    expect(() =>
      db
        .prepare(
          `INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES ('t1', 'w1', 'x', 'low', 'direct', 'done', 'n', 'n')`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    // Foreign keys are on: a task for a missing workspace is refused.
    expect(() =>
      db
        .prepare(
          `INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES ('t2', 'nope', 'x', 'low', 'direct', 'queued', 'n', 'n')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('002 adds interactions, usage and events on top of 001 and keeps existing rows', () => {
    const first = open([initialSchema]);
    first
      .prepare(`INSERT INTO workspaces VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`)
      .run();
    first.close();
    const db = open([initialSchema, interactionsUsageEvents]);
    expect(schemaVersion(db)).toBe(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['interactions', 'usage', 'events']));
    expect(columns(db, 'interactions')).toEqual(
      expect.arrayContaining(['instruction', 'response', 'schema_name', 'prompt_tokens', 'provider', 'model']),
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM workspaces').get()).toEqual({ n: 1 });
  });

  it('003 adds the spec column to attempts and keeps existing attempts', () => {
    const first = open([initialSchema, interactionsUsageEvents]);
    first
      .prepare(`INSERT INTO workspaces VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`)
      .run();
    first
      .prepare(
        `INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES ('t1', 'w1', 'x', 'low', 'spec', 'running', 'n', 'n')`,
      )
      .run();
    first
      .prepare(
        `INSERT INTO attempts (id, task_id, number, status, branch, target_branch, started_at) VALUES ('t1-1', 't1', 1, 'running', 'b', 't', 'n')`,
      )
      .run();
    first.close();
    const db = open([initialSchema, interactionsUsageEvents, attemptSpec]);
    expect(schemaVersion(db)).toBe(3);
    expect(columns(db, 'attempts')).toContain('spec_json');
    expect(db.prepare('SELECT id, spec_json FROM attempts').all()).toEqual([{ id: 't1-1', spec_json: null }]);
  });

  it('004 lets an attempt be undone, keeping every attempt and the interactions that point at it', () => {
    const first = open([initialSchema, interactionsUsageEvents, attemptSpec]);
    first
      .prepare(`INSERT INTO workspaces VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`)
      .run();
    first
      .prepare(
        `INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES ('t1', 'w1', 'x', 'low', 'direct', 'merged', 'n', 'n')`,
      )
      .run();
    first
      .prepare(
        `INSERT INTO attempts (id, task_id, number, status, branch, target_branch, started_at, merged_commit, spec_json) VALUES ('t1-1', 't1', 1, 'merged', 'b', 't', 'n', 'abc', '{}')`,
      )
      .run();
    expect(() => first.prepare(`UPDATE attempts SET status = 'undone'`).run()).toThrow(/CHECK constraint/);
    first
      .prepare(
        `INSERT INTO interactions (attempt_id, agent, schema_name, instruction, provider, model, created_at) VALUES ('t1-1', 'direct', 'nocturnal_edits', 'i', 'openai', 'm', 'n')`,
      )
      .run();
    first.close();

    const db = open([initialSchema, interactionsUsageEvents, attemptSpec, attemptUndone]);
    expect(schemaVersion(db)).toBe(4);
    db.prepare(`UPDATE attempts SET status = 'undone'`).run();
    expect(db.prepare('SELECT id, status, merged_commit, spec_json FROM attempts').all()).toEqual([
      { id: 't1-1', status: 'undone', merged_commit: 'abc', spec_json: '{}' },
    ]);
    // Rebuilding the table must not have fired ON DELETE SET NULL on the interactions.
    expect(db.prepare('SELECT attempt_id FROM interactions').all()).toEqual([{ attempt_id: 't1-1' }]);
    expect(() => db.prepare(`UPDATE attempts SET status = 'gone'`).run()).toThrow(/CHECK constraint/);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(
      (
        db
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'attempts' ORDER BY name`)
          .all() as { name: string }[]
      ).map((r) => r.name),
    ).toEqual(expect.arrayContaining(['attempts_by_session', 'attempts_by_status']));
    // Foreign keys still hold for the rebuilt table.
    expect(() =>
      db
        .prepare(
          `INSERT INTO attempts (id, task_id, number, status, branch, target_branch, started_at) VALUES ('x-1', 'missing', 1, 'running', 'b', 't', 'n')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('005 adds the setup command and setup status to workspaces and keeps existing workspaces', () => {
    const first = open([initialSchema, interactionsUsageEvents, attemptSpec, attemptUndone]);
    first
      .prepare(
        `INSERT INTO workspaces VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{"test":"npm test"}', 'now')`,
      )
      .run();
    first.close();
    const db = open([initialSchema, interactionsUsageEvents, attemptSpec, attemptUndone, workspaceSetup]);
    expect(schemaVersion(db)).toBe(5);
    expect(columns(db, 'workspaces')).toEqual(expect.arrayContaining(['setup_command', 'setup_status_json']));
    expect(db.prepare('SELECT id, checks_json, setup_command, setup_status_json FROM workspaces').all()).toEqual([
      { id: 'w1', checks_json: '{"test":"npm test"}', setup_command: null, setup_status_json: null },
    ]);
  });

  it('006 gives every workspace a start_from, target for existing ones, and refuses other values', () => {
    const before = [initialSchema, interactionsUsageEvents, attemptSpec, attemptUndone, workspaceSetup];
    const first = open(before);
    first
      .prepare(
        `INSERT INTO workspaces (id, name, path, base_branch, target_branch, checks_json, created_at) VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`,
      )
      .run();
    first.close();
    const db = open([...before, workspaceStartFrom]);
    expect(schemaVersion(db)).toBe(6);
    expect(db.prepare('SELECT id, start_from FROM workspaces').all()).toEqual([{ id: 'w1', start_from: 'target' }]);
    expect(() => db.prepare(`UPDATE workspaces SET start_from = 'tip' WHERE id = 'w1'`).run()).toThrow(
      /CHECK constraint/,
    );
  });

  it('007 adds the indexes the report, status and next-task queries search, and keeps every row', () => {
    const before = [
      initialSchema,
      interactionsUsageEvents,
      attemptSpec,
      attemptUndone,
      workspaceSetup,
      workspaceStartFrom,
    ];
    const first = open(before);
    first
      .prepare(
        `INSERT INTO workspaces (id, name, path, base_branch, target_branch, checks_json, created_at) VALUES ('w1', 'ws', '/r', 'main', 'nocturnal/integration', '{}', 'now')`,
      )
      .run();
    first
      .prepare(
        `INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES ('t1', 'w1', 'x', 'low', 'direct', 'queued', 'n', 'n')`,
      )
      .run();
    first
      .prepare(
        `INSERT INTO attempts (id, task_id, number, status, branch, target_branch, started_at) VALUES ('t1-1', 't1', 1, 'failed', 'b', 't', 'n')`,
      )
      .run();
    first
      .prepare(
        `INSERT INTO usage (attempt_id, provider, model, prompt_tokens, completion_tokens, cached_tokens, duration_ms, cost_usd, energy_wh, free, created_at) VALUES ('t1-1', 'openai', 'm', 10, 5, 0, 20, 0, 0, 1, 'n')`,
      )
      .run();
    const usagePlanBefore = first
      .prepare(`EXPLAIN QUERY PLAN SELECT SUM(prompt_tokens) FROM usage WHERE attempt_id = 't1-1'`)
      .all() as { detail: string }[];
    expect(usagePlanBefore.map((r) => r.detail)).toEqual(['SCAN usage']);
    first.close();

    const db = open([...before, scaleIndexes]);
    expect(schemaVersion(db)).toBe(7);
    const indexes = (
      db
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(
      expect.arrayContaining([
        'usage_by_attempt',
        'usage_by_session',
        'interactions_by_session',
        'attempts_by_session',
        'attempts_merged_since',
        'attempts_by_start',
        'usage_by_model',
        'tasks_by_age',
        'tasks_queue',
      ]),
    );
    // attempts_by_session now also orders by start time (what the report reads), so the report sorts nothing.
    expect(
      (db.prepare(`PRAGMA index_info(attempts_by_session)`).all() as { name: string }[]).map((r) => r.name),
    ).toEqual(['session_id', 'started_at', 'id']);
    const usagePlan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT SUM(prompt_tokens) FROM usage WHERE attempt_id = 't1-1'`)
      .all() as { detail: string }[];
    expect(usagePlan.map((r) => r.detail)).toEqual(['SEARCH usage USING INDEX usage_by_attempt (attempt_id=?)']);
    expect(db.prepare('SELECT COUNT(*) AS n FROM usage').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT id, status FROM attempts').all()).toEqual([{ id: 't1-1', status: 'failed' }]);
  });

  it('are applied once: reopening changes nothing', () => {
    open().close();
    const db = open();
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(
      migrations.length,
    );
  });

  it('refuse a database written by a newer build', () => {
    const db = open();
    db.prepare(`INSERT INTO schema_migrations VALUES (999, 'future', 'now')`).run();
    expect(() => migrate(db, migrations)).toThrow(NocturnalError);
  });

  it('roll back a failing migration as a whole', () => {
    const db = open([initialSchema]);
    const broken = {
      version: 2,
      name: 'broken',
      up: (d: SqliteDatabase) => d.exec('CREATE TABLE half (x); SELECT * FROM missing_table;'),
    };
    expect(() => migrate(db, [initialSchema, broken])).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
  });

  it('use WAL, foreign keys and a busy timeout', () => {
    const db = open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });
});
