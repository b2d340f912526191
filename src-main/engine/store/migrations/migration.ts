import type { Database } from 'better-sqlite3';

/** One numbered schema change. Migrations are append-only: never edit one that has shipped. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}
