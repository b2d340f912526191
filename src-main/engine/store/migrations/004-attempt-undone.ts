import { NocturnalError } from '../../errors/nocturnal-error';
import type { Migration } from './migration';

const oldCheck = "CHECK (status IN ('running', 'review', 'merged', 'rejected', 'failed', 'interrupted'))";
const newCheck = "CHECK (status IN ('running', 'review', 'merged', 'rejected', 'failed', 'interrupted', 'undone'))";

/**
 * `undo` ends an attempt as `undone` (DESIGN §4: merged → undone). SQLite cannot alter a CHECK
 * constraint, so the table is rebuilt the way SQLite documents (create, copy, drop, rename) with
 * foreign keys off, so that dropping the old table does not null the interactions' and usage rows'
 * attempt ids.
 */
export const attemptUndone: Migration = {
  version: 4,
  name: 'attempts can be undone',
  foreignKeysOff: true,
  up(db) {
    const row = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'attempts'`).get() as
      { sql: string } | undefined;
    if (!row?.sql.includes(oldCheck))
      throw new NocturnalError(
        'runtime',
        'migration 004: the attempts table does not have the expected status constraint; the database was changed by hand',
      );
    const create = row.sql
      .replace(oldCheck, newCheck)
      .replace(/^CREATE TABLE\s+("?)attempts\1/, 'CREATE TABLE attempts_new');
    db.exec(create);
    db.exec('INSERT INTO attempts_new SELECT * FROM attempts');
    db.exec('DROP TABLE attempts');
    db.exec('ALTER TABLE attempts_new RENAME TO attempts');
    db.exec('CREATE INDEX attempts_by_session ON attempts(session_id)');
    db.exec('CREATE INDEX attempts_by_status ON attempts(status)');
  },
};
