// The store: one SQLite file, one typed repository per table family.
import { AttemptsRepo } from './attempts-repo';
import { openDatabase } from './database';
import type { OpenDatabaseOptions, SqliteDatabase } from './database';
import { EventsRepo } from './events-repo';
import { InteractionsRepo } from './interactions-repo';
import { SessionsRepo } from './sessions-repo';
import { TasksRepo } from './tasks-repo';
import { UsageRepo } from './usage-repo';
import { WorkspacesRepo } from './workspaces-repo';
import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';

export interface Store {
  db: SqliteDatabase;
  workspaces: WorkspacesRepo;
  tasks: TasksRepo;
  attempts: AttemptsRepo;
  sessions: SessionsRepo;
  interactions: InteractionsRepo;
  usage: UsageRepo;
  events: EventsRepo;
  close(): void;
}

/** `redactor` knows the engine's secrets; every record text (reasons, events, prompts) passes it. */
export function openStore(file: string, options: OpenDatabaseOptions & { redactor?: Redactor } = {}): Store {
  const db = openDatabase(file, undefined, options.readOnly ? { readOnly: options.readOnly } : {});
  const redactor = options.redactor ?? createRedactor();
  const attempts = new AttemptsRepo(db, redactor);
  return {
    db,
    workspaces: new WorkspacesRepo(db),
    tasks: new TasksRepo(db, attempts, redactor),
    attempts,
    sessions: new SessionsRepo(db, redactor),
    interactions: new InteractionsRepo(db, redactor),
    usage: new UsageRepo(db),
    events: new EventsRepo(db, redactor),
    close() {
      if (db.open) db.close();
    },
  };
}
