import type { Database } from 'better-sqlite3';

/** One numbered schema change. Migrations are append-only: never edit one that has shipped. */
export interface Migration {
  version: number;
  name: string;
  /**
   * Run with foreign keys off (SQLite's documented way to rebuild a table): dropping a table with
   * them on would fire the ON DELETE actions of the tables that reference it. The references are
   * verified with `PRAGMA foreign_key_check` before the migration commits.
   */
  foreignKeysOff?: boolean;
  up(db: Database): void;
}
