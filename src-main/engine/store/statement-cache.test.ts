// The prepared-statement cache must be invisible to the repositories: the same rows as a fresh
// statement, row objects again after another user asked for raw arrays, and a schema change seen.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachePreparedStatements } from './statement-cache';

function open() {
  const db = cachePreparedStatements(new Database(':memory:'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
  return db;
}

describe('cachePreparedStatements', () => {
  it('prepares each SQL text once and answers with current rows', () => {
    const db = open();
    const insert = db.prepare('INSERT INTO t (name) VALUES (?)');
    insert.run('a');
    expect(db.prepare('INSERT INTO t (name) VALUES (?)')).toBe(insert);
    db.prepare('INSERT INTO t (name) VALUES (?)').run('b');
    expect(db.prepare('SELECT name FROM t ORDER BY id').all()).toEqual([{ name: 'a' }, { name: 'b' }]);
    db.close();
  });

  it('gives row objects again after a caller read the same statement as raw arrays', () => {
    const db = open();
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    expect(db.prepare('SELECT id, name FROM t').raw(true).all()).toEqual([[1, 'a']]);
    expect(db.prepare('SELECT id, name FROM t').all()).toEqual([{ id: 1, name: 'a' }]);
    db.close();
  });

  it('sees a column added after the statement was first prepared', () => {
    const db = open();
    db.prepare('INSERT INTO t (name) VALUES (?)').run('a');
    expect(db.prepare('SELECT * FROM t').all()).toEqual([{ id: 1, name: 'a' }]);
    db.exec("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n'");
    expect(db.prepare('SELECT * FROM t').all()).toEqual([{ id: 1, name: 'a', note: 'n' }]);
    db.close();
  });
});
