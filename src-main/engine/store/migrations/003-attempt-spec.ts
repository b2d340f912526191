import type { Migration } from './migration';

export const attemptSpec: Migration = {
  version: 3,
  name: 'attempts keep the validated spec of the spec executor',
  up(db) {
    db.exec('ALTER TABLE attempts ADD COLUMN spec_json TEXT');
  },
};
