// Opens the SQLite file with the settings a desktop app sharing one file between the tray app and the
// CLI needs: WAL (readers never block the writer), foreign keys on, a busy timeout instead of instant
// SQLITE_BUSY errors, and migrations applied in one transaction each.
//
// The database holds the user's queue and history, so it is never re-created over what is there: a file
// that exists but is empty, is not SQLite, or turns out damaged stops the engine with a message naming
// the file and what to do (DatabaseDamagedError, exit 1). A new file is created 0600 (SQLite gives its
// -wal and -shm files the same mode), and an existing one is narrowed to 0600.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Migration } from './migrations/migration';
import { migrations as allMigrations } from './migrations';
import { cachePreparedStatements } from './statement-cache';

export type { SqliteDatabase };

export interface OpenDatabaseOptions {
  /**
   * Open for reading only (a read-only home): no file is created, changed or migrated. SQLite cannot
   * open a WAL database read-only where it cannot create the -shm file, so it reads a private copy.
   */
  readOnly?: { reason: string };
}

const SQLITE_HEADER = 'SQLite format 3\0';

export function openDatabase(
  file: string,
  migrations: readonly Migration[] = allMigrations,
  options: OpenDatabaseOptions = {},
): SqliteDatabase {
  if (file === ':memory:') return configure(new Database(file), migrations);
  if (options.readOnly) return openReadOnlyCopy(file, migrations, options.readOnly.reason);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (createPrivateFile(file)) {
    // Ours and empty: the one case where an empty file is a new database rather than a lost one.
  } else {
    assertLooksLikeSqlite(file);
    narrowMode(file);
  }
  return configure(
    guarded(file, () => new Database(file)),
    migrations,
    file,
  );
}

function configure(db: SqliteDatabase, migrations: readonly Migration[], file?: string): SqliteDatabase {
  const run = () => {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
  };
  if (file === undefined) run();
  else guarded(file, run, () => db.close());
  return cachePreparedStatements(db);
}

function openReadOnlyCopy(file: string, migrations: readonly Migration[], reason: string): SqliteDatabase {
  if (!fs.existsSync(file)) {
    throw new NocturnalError(
      'runtime',
      `there is no database at ${file}, and it cannot be created because ${reason}; make the folder writable, or use another --home`,
    );
  }
  assertLooksLikeSqlite(file);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-readonly-'));
  const copy = path.join(dir, path.basename(file));
  try {
    fs.copyFileSync(file, copy);
    fs.chmodSync(copy, 0o600);
    if (fs.existsSync(`${file}-wal`)) fs.copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = guarded(file, () => new Database(copy, { readonly: true, fileMustExist: true }));
    const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
    const close = db.close.bind(db);
    db.close = () => {
      close();
      cleanUp();
      return db;
    };
    guarded(
      file,
      () => {
        const applied = readSchemaVersions(db);
        const pending = migrations.filter((m) => !applied.has(m.version));
        assertNotNewer(applied, migrations);
        if (pending.length > 0) {
          throw new NocturnalError(
            'runtime',
            `${file} must be upgraded to this version's schema before it can be read, and it cannot be written because ${reason}; make the folder writable and run any command once`,
          );
        }
      },
      () => db.close(),
    );
    return cachePreparedStatements(db);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Creates the file 0600 when it does not exist; true when this call created it. */
function createPrivateFile(file: string): boolean {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function narrowMode(file: string): void {
  try {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  } catch {
    // Not ours to change (another owner, a read-only mount): opening will say what matters.
  }
}

function assertLooksLikeSqlite(file: string): void {
  const size = fs.statSync(file).size;
  if (size === 0) throw new DatabaseDamagedError(file, 'it is empty (0 bytes)');
  const head = Buffer.alloc(16);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== SQLITE_HEADER) throw new DatabaseDamagedError(file, 'it is not a SQLite database');
}

/** Runs `work`, turning SQLite's "damaged file" errors into a DatabaseDamagedError naming the file. */
function guarded<T>(file: string, work: () => T, onDamage?: () => void): T {
  try {
    return work();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')) {
      onDamage?.();
      throw new DatabaseDamagedError(file, `SQLite reports it damaged (${(error as Error).message})`);
    }
    throw error;
  }
}

/** A database that exists but cannot be used as it is; never replaced by a new empty one. */
export class DatabaseDamagedError extends NocturnalError {
  constructor(
    readonly file: string,
    why: string,
  ) {
    super(
      'runtime',
      `the database ${file} cannot be used: ${why}. Nocturnal Agent will not replace it with an empty one, which would lose your queue and history. ` +
        `Restore it from a backup, or move it aside (mv "${file}" "${file}.damaged") to start over with an empty database`,
    );
    this.name = 'DatabaseDamagedError';
  }
}

export function migrate(db: SqliteDatabase, migrations: readonly Migration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = readSchemaVersions(db);
  assertNotNewer(applied, migrations);
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    // The pragma is a no-op inside a transaction, so it is switched around it.
    if (migration.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        migration.up(db);
        if (migration.foreignKeysOff) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0)
            throw new NocturnalError(
              'runtime',
              `migration ${migration.version} would leave ${broken.length} broken reference(s); nothing was changed`,
            );
        }
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          new Date().toISOString(),
        );
      })();
    } finally {
      if (migration.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
  }
}

function readSchemaVersions(db: SqliteDatabase): Set<number> {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return new Set();
  return new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
}

function assertNotNewer(applied: ReadonlySet<number>, migrations: readonly Migration[]): void {
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw new NocturnalError(
      'runtime',
      `the database is at schema version ${newest} but this build only knows up to ${known}: it was written by a newer Nocturnal Agent; update the app or use another --home`,
    );
  }
}

export function schemaVersion(db: SqliteDatabase): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
