import type { Migration } from './migration';

export const workspaceStartFrom: Migration = {
  version: 6,
  name: 'workspaces say where attempts start: the target branch (when it contains the base) or the base',
  up(db) {
    db.exec(
      `ALTER TABLE workspaces ADD COLUMN start_from TEXT NOT NULL DEFAULT 'target' CHECK (start_from IN ('target', 'base'))`,
    );
  },
};
