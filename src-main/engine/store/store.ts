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

export function openStore(file: string, options: OpenDatabaseOptions = {}): Store {
  const db = openDatabase(file, undefined, options);
  const attempts = new AttemptsRepo(db);
  return {
    db,
    workspaces: new WorkspacesRepo(db),
    tasks: new TasksRepo(db, attempts),
    attempts,
    sessions: new SessionsRepo(db),
    interactions: new InteractionsRepo(db),
    usage: new UsageRepo(db),
    events: new EventsRepo(db),
    close() {
      if (db.open) db.close();
    },
  };
}
