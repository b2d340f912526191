import type { Migration } from './migration';

export const workspaceSetup: Migration = {
  version: 5,
  name: 'workspaces keep a setup command given by the user and the outcome of the last dependency setup',
  up(db) {
    // setup_command: `workspace add --setup CMD`, null to use the one detected from the lock files.
    // setup_status_json: the last setup's outcome, reported per workspace (not per task).
    db.exec('ALTER TABLE workspaces ADD COLUMN setup_command TEXT');
    db.exec('ALTER TABLE workspaces ADD COLUMN setup_status_json TEXT');
  },
};
