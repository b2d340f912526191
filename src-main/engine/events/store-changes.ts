// Turns changes in the database into `task:changed` and `review:changed` events — this engine's own
// writes and those of another process on the same home (the CLI adding a task or approving a change
// while the app runs). Two counters say whether anything was written at all, for the price of two
// trivial queries: `total_changes()` counts this connection's writes, `PRAGMA data_version` moves
// when another connection commits. Only then are the tasks' signatures compared with the last ones
// seen, and each task that differs is published with its fresh record.
import type { ChangeOrigin } from '../../../src-shared/api/events';
import type { ReviewItem } from '../../../src-shared/domain/review';
import type { Logger } from '../log/logger';
import type { Store } from '../store/store';
import type { EngineEvents } from './engine-events';

interface Counters {
  own: number;
  others: number;
}

// One row per task: everything a face shows about it and its attempts, folded into one string.
const signatureSql = `
  SELECT t.id AS id,
         t.status || '|' || t.updated_at || '|' || t.title || '|' || t.priority || '|' || COALESCE(
           (SELECT group_concat(a.id || ':' || a.status || ':' || COALESCE(a.ended_at, '') || ':' || COALESCE(a.head_commit, '') || ':'
                                || COALESCE(a.score, '') || ':' || length(COALESCE(a.reasons_json, '')) || ':' || COALESCE(a.merged_commit, ''), ',')
              FROM attempts a WHERE a.task_id = t.id), '') AS sig
    FROM tasks t`;
const waitingSql = `SELECT id || ':' || length(COALESCE(reasons_json, '')) AS sig FROM attempts WHERE status = 'review' ORDER BY id`;

export class StoreChanges {
  private counters: Counters;
  private tasks: Map<string, string>;
  private waiting: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { store: Store; events: EngineEvents; log: Logger; reviewItems: () => ReviewItem[] },
  ) {
    this.counters = this.readCounters();
    this.tasks = this.readTaskSignatures();
    this.waiting = this.readWaiting();
  }

  /** Looks every `intervalMs` (the timer does not keep the process alive). */
  watch(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Publishes what changed since the last look; cheap when nothing did. Returns whether anything did. */
  check(): boolean {
    if (!this.deps.store.db.open) return false;
    // Nobody to tell (a CLI `run`, a bench): the signatures and the review list cost ~3 ms per finished
    // task, for no one. The last look stays as it was, so the first check once someone listens
    // publishes everything that changed since then.
    const { events } = this.deps;
    if (!events.hasConsumers('task:changed') && !events.hasConsumers('review:changed')) return false;
    let counters: Counters;
    try {
      counters = this.readCounters();
    } catch (error) {
      this.deps.log.warn({ err: String(error) }, 'could not read the database change counters');
      return false;
    }
    if (counters.own === this.counters.own && counters.others === this.counters.others) return false;
    // Another process's commit makes the change "external" even if this engine also wrote meanwhile:
    // a face then knows to refresh rather than trust what it did itself.
    const origin: ChangeOrigin = counters.others !== this.counters.others ? 'external' : 'engine';
    this.counters = counters;
    return this.publishDifferences(origin);
  }

  private publishDifferences(origin: ChangeOrigin): boolean {
    const { store, events } = this.deps;
    const tasks = this.readTaskSignatures();
    let changed = false;
    for (const [id, sig] of tasks) {
      if (this.tasks.get(id) === sig) continue;
      const task = store.tasks.get(id);
      if (task) {
        events.publish('task:changed', { task, origin });
        changed = true;
      }
    }
    this.tasks = tasks;
    const waiting = this.readWaiting();
    if (waiting !== this.waiting) {
      const before = new Set(this.waiting.split(',').map((s) => s.split(':')[0]));
      const after = new Set(waiting.split(',').map((s) => s.split(':')[0]));
      const moved = [...before]
        .filter((id) => !after.has(id))
        .concat([...after].filter((id) => !before.has(id)))
        .filter((id) => id !== '' && id !== undefined);
      this.waiting = waiting;
      // The review service's own list, so the event carries exactly what review:list answers.
      events.publish('review:changed', {
        attemptId: moved.length === 1 ? (moved[0] ?? null) : null,
        items: this.deps.reviewItems(),
        origin,
      });
      changed = true;
    }
    return changed;
  }

  private readCounters(): Counters {
    const db = this.deps.store.db;
    return {
      own: (db.prepare('SELECT total_changes() AS n').get() as { n: number }).n,
      others: db.pragma('data_version', { simple: true }) as number,
    };
  }

  private readTaskSignatures(): Map<string, string> {
    const rows = this.deps.store.db.prepare(signatureSql).all() as { id: string; sig: string }[];
    return new Map(rows.map((row) => [row.id, row.sig]));
  }

  private readWaiting(): string {
    return (this.deps.store.db.prepare(waitingSql).all() as { sig: string }[]).map((r) => r.sig).join(',');
  }
}
