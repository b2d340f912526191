import type { Workspace, WorkspaceSetupStatus } from '../../../src-shared/domain/records';
import type { WorkspaceChecks, WorkspaceStartFrom } from '../../../src-shared/domain/workspace';
import { workspaceStartFromSchema } from '../../../src-shared/domain/workspace';
import type { SqliteDatabase } from './database';
import { newId } from './ids';
import { readJson, writeJson } from './json-column';

interface WorkspaceRow {
  id: string;
  name: string;
  path: string;
  base_branch: string;
  target_branch: string;
  checks_json: string;
  setup_command: string | null;
  setup_status_json: string | null;
  start_from: string;
  created_at: string;
}

export interface NewWorkspace {
  name: string;
  path: string;
  baseBranch: string;
  targetBranch: string;
  checks: WorkspaceChecks;
  setupCommand?: string | null;
  startFrom?: WorkspaceStartFrom;
}

export class WorkspacesRepo {
  constructor(private readonly db: SqliteDatabase) {}

  add(input: NewWorkspace, now: Date): Workspace {
    const id = newId('w');
    this.db
      .prepare(
        `INSERT INTO workspaces (id, name, path, base_branch, target_branch, checks_json, setup_command, start_from, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        input.name,
        input.path,
        input.baseBranch,
        input.targetBranch,
        writeJson(input.checks),
        input.setupCommand ?? null,
        input.startFrom ?? 'target',
        now.toISOString(),
      );
    const created = this.get(id);
    if (!created) throw new Error(`workspace ${id} vanished after insert`);
    return created;
  }

  get(id: string): Workspace | undefined {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  byName(name: string): Workspace | undefined {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE name = ?').get(name) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  byPath(path: string): Workspace | undefined {
    const row = this.db.prepare('SELECT * FROM workspaces WHERE path = ?').get(path) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  list(): Workspace[] {
    return (this.db.prepare('SELECT * FROM workspaces ORDER BY name').all() as WorkspaceRow[]).map(toWorkspace);
  }

  /** Records the last dependency setup's outcome (shown by `workspace list` and `status`). */
  setSetupStatus(id: string, status: WorkspaceSetupStatus): void {
    this.db.prepare('UPDATE workspaces SET setup_status_json = ? WHERE id = ?').run(writeJson(status), id);
  }

  /** Replaces the fields a user may change after `workspace add` (`workspace edit`). */
  update(
    id: string,
    fields: Pick<Workspace, 'baseBranch' | 'targetBranch' | 'checks' | 'setupCommand' | 'startFrom'>,
  ): void {
    this.db
      .prepare(
        'UPDATE workspaces SET base_branch = ?, target_branch = ?, checks_json = ?, setup_command = ?, start_from = ? WHERE id = ?',
      )
      .run(fields.baseBranch, fields.targetBranch, writeJson(fields.checks), fields.setupCommand, fields.startFrom, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM workspaces WHERE id = ?').run(id).changes > 0;
  }
}

function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    path: row.path,
    baseBranch: row.base_branch,
    targetBranch: row.target_branch,
    checks: readJson<WorkspaceChecks>(row.checks_json, 'workspaces.checks_json', row.id) ?? {},
    setupCommand: row.setup_command,
    setupStatus:
      row.setup_status_json === null
        ? null
        : readJson<WorkspaceSetupStatus>(row.setup_status_json, 'workspaces.setup_status_json', row.id),
    startFrom: workspaceStartFromSchema.parse(row.start_from),
    createdAt: row.created_at,
  };
}
