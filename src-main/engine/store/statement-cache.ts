// Prepared statements, kept per SQL text: the repositories call `db.prepare(sql)` at each use, and
// preparing (parsing and planning the SQL) cost more than running most of their one-row queries — about
// 18 ms of every attempt's bookkeeping (bench/attempt-overhead.ts, profiled). A statement is reusable
// once its `run`/`get`/`all` has returned (nothing here iterates lazily), and SQLite re-prepares it by
// itself when the schema changes. Bounded: the least recently used go first (some SQL is built per call).
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

const MAX_STATEMENTS = 256;

export function cachePreparedStatements(db: SqliteDatabase): SqliteDatabase {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Statement>();
  const cached = (source: string): Statement => {
    let statement = statements.get(source);
    if (statement === undefined) {
      statement = prepare(source);
    } else {
      statements.delete(source);
      // `raw(true)` sticks to a statement (attempts-repo reads rows as arrays): every user of the
      // cached one gets row objects unless it asks again.
      if (statement.reader) statement.raw(false);
    }
    statements.set(source, statement);
    for (const oldest of statements.keys()) {
      if (statements.size <= MAX_STATEMENTS) break;
      statements.delete(oldest);
    }
    return statement;
  };
  db.prepare = cached as typeof db.prepare;
  return db;
}
