// The engine's one event stream (DESIGN §8b). Everything a face shows live goes through here: session
// progress, task and review changes (this engine's and other processes' on the same home), config and
// night-mode changes, model downloads, status. A progress step that belongs in the session's timeline
// is recorded in the store's events table and published in the same call, so the record and the live
// view cannot disagree. Payloads are checked against the contract before anyone sees them; a listener
// that throws is logged and never breaks the engine's work.
import { events as eventSchemas } from '../../../src-shared/api/events';
import type { EventMap, EventPayload } from '../../../src-shared/api/events';
import { describeIssues } from '../../../src-shared/api/issues';
import type { EventName } from '../../../src-shared/api/names';
import type { SessionProgress } from '../../../src-shared/domain/progress';
import type { TimelineEvent } from '../../../src-shared/domain/report';
import type { Logger } from '../log/logger';
import type { EventsRepo } from '../store/events-repo';

export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** A timeline row: what happened, for the report (the store assigns id and time). */
export interface TimelineEntry {
  sessionId: string | null;
  taskId: string | null;
  attemptId?: string | null;
  type: string;
  message: string;
  data?: unknown;
}

export class EngineEvents {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();
  private readonly anyListeners = new Set<AnyEventListener>();
  /** The engine's own bookkeeping on every event (the status recompute): not a consumer of events. */
  private readonly observers = new Set<AnyEventListener>();

  constructor(private readonly deps: { timeline: EventsRepo; now: () => Date; log: Logger }) {}

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  /** Every event, for a transport that relays them all (IPC, the server's event stream). */
  onAny(listener: AnyEventListener): () => void {
    this.anyListeners.add(listener);
    return () => this.anyListeners.delete(listener);
  }

  /**
   * For the engine's own reactions to events: called like an `onAny` listener, but not counted by
   * `hasConsumers`, so what only a face needs is not computed for nobody.
   */
  observe(listener: AnyEventListener): () => void {
    this.observers.add(listener);
    return () => this.observers.delete(listener);
  }

  /** Whether anyone outside the engine would receive `event` (a listener of it, or of every event). */
  hasConsumers(event: EventName): boolean {
    return this.anyListeners.size > 0 || (this.listeners.get(event)?.size ?? 0) > 0;
  }

  publish<E extends EventName>(event: E, payload: EventMap[E]): void {
    const checked = eventSchemas[event].safeParse(payload);
    if (!checked.success) {
      // An engine bug, not the user's: say so loudly in the log and keep working.
      this.deps.log.error(
        { event, problem: describeIssues(checked.error, 'payload') },
        'refused to publish an event outside the contract',
      );
      return;
    }
    const data = checked.data as EventPayload<E>;
    for (const listener of this.listeners.get(event) ?? [])
      this.call(event, () => (listener as (payload: EventPayload<E>) => void)(data));
    for (const listener of this.anyListeners) this.call(event, () => listener(event, data));
    for (const observer of this.observers) this.call(event, () => observer(event, data));
  }

  /** Writes one row of a session's timeline. */
  record(entry: TimelineEntry): TimelineEvent {
    return this.deps.timeline.append(
      {
        sessionId: entry.sessionId,
        taskId: entry.taskId,
        attemptId: entry.attemptId ?? null,
        type: entry.type,
        message: entry.message,
        data: entry.data,
      },
      this.deps.now(),
    );
  }

  /** A session step: recorded in the timeline when it belongs there, and published as `session:progress`. */
  progress(progress: SessionProgress, timeline?: TimelineEntry): void {
    if (timeline) this.record(timeline);
    this.publish('session:progress', progress);
  }

  private call(event: EventName, body: () => void): void {
    try {
      body();
    } catch (error) {
      this.deps.log.error(
        { event, err: error instanceof Error ? error.message : String(error) },
        'an event listener failed',
      );
    }
  }
}
