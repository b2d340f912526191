// The night runs itself (DESIGN §8b): while `scheduler.night_mode` is on, a session starts when the
// window opens (on the wall clock of `scheduler.timezone`) and stops starting tasks when it closes;
// the running task finishes. Settings are re-read on every look around, so a change made by the
// config writer, the CLI or a text editor is noticed without a restart. Time comes only from the
// clock port (`now`, `setTimer`), so tests drive whole DST nights without sleeping.
import type { SchedulerConfig } from '../../../src-shared/config/schema';
import type { Session } from '../../../src-shared/domain/records';
import { isInWindow, minuteOfDayInZone, nextWindowChange, nightWindow } from '../../../src-shared/night-window';
import { NocturnalError } from '../errors/nocturnal-error';
import type { Logger } from '../log/logger';
import { isHeldBackReason } from './planner/held-back-reason';
import type { RunSessionOptions } from './session-runner';

export type SchedulerPhase =
  /** Night mode is off: nothing starts by itself. */
  | 'off'
  /** Armed, outside the window: waits for `nextStart`. */
  | 'waiting'
  /** Inside the window with nothing queued (or stopped for tonight): looks again every check interval. */
  | 'idle'
  /** A session is running (night or manual). */
  | 'working'
  /** `stop()` was called: the scheduler is shut down. */
  | 'stopped';

export interface SchedulerState {
  phase: SchedulerPhase;
  nightMode: boolean;
  /** When the window next opens, while armed and outside it. */
  nextStart: Date | null;
  /** When the window closes, while inside it. */
  windowClosesAt: Date | null;
  /** Why nothing runs although the window is open, or why the last start failed. */
  note: string | null;
  /** The running session's trigger, while working. */
  running: RunSessionOptions['trigger'] | null;
  /** "Stop after this task" was asked for the running session. */
  stopRequested: boolean;
}

export interface NightSchedulerDeps {
  now: () => Date;
  setTimer: (ms: number, callback: () => void) => () => void;
  /** The scheduler section as it is now (re-read each time: this is how config changes arrive). */
  settings: () => SchedulerConfig;
  /** How many tasks are queued: an empty queue starts no session. */
  queued: () => number;
  runSession: (options: RunSessionOptions) => Promise<Session>;
  log: Logger;
  /** Extra limits for each night session (`nocturnal run --max-tasks/--until`); the window's close always applies. */
  nightLimits?: (now: Date) => { maxTasks?: number | undefined; until?: Date | undefined };
  /** Progress of whichever session runs (night or manual). */
  onProgress?: RunSessionOptions['onProgress'];
  onState?: (state: SchedulerState) => void;
}

export interface ManualRunOptions {
  maxTasks?: number | undefined;
  until?: Date | undefined;
}

export class NightScheduler {
  private phase: SchedulerPhase = 'off';
  private nightMode = false;
  private nextStart: Date | null = null;
  private windowClosesAt: Date | null = null;
  private note: string | null = null;
  private running: {
    trigger: RunSessionOptions['trigger'];
    abort: AbortController;
    done: Promise<Session | undefined>;
  } | null = null;
  private cancelTimer: (() => void) | null = null;
  /** After "stop after this task" in a night session, nothing restarts before this window closes. */
  private pausedUntil: Date | null = null;
  /**
   * A night session ended because none of the queued tasks fitted the time left: another would end the
   * same way at once, so none starts in this window until the queue changes.
   */
  private heldBack: { queued: number; reason: string } | null = null;
  private started = false;
  private inTick = false;
  private tickAgain = false;

  constructor(private readonly deps: NightSchedulerDeps) {}

  /** Starts looking around: at once (a restart inside the window resumes), then as the clock says. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.tick();
  }

  /** Looks again now, e.g. when the config writer announces a change or a task was added. */
  poke(): void {
    if (!this.started || this.phase === 'stopped') return;
    if (this.running?.trigger === 'night-window' && !this.running.abort.signal.aborted && !this.readNightMode()) {
      // Night mode switched off mid-session: the running task finishes, no new one starts.
      this.deps.log.info('night mode switched off: stopping after the current task');
      this.stopAfterCurrentTask();
      return;
    }
    this.tick();
  }

  private readNightMode(): boolean {
    try {
      return this.deps.settings().night_mode;
    } catch {
      return true;
    }
  }

  state(): SchedulerState {
    return {
      phase: this.phase,
      nightMode: this.nightMode,
      nextStart: this.nextStart,
      windowClosesAt: this.windowClosesAt,
      note: this.note,
      running: this.running?.trigger ?? null,
      stopRequested: this.running?.abort.signal.aborted ?? false,
    };
  }

  /** "Run now": one session at once, whatever the window says. Refused while one runs. */
  runNow(options: ManualRunOptions = {}): Promise<Session> {
    if (this.phase === 'stopped') throw new NocturnalError('conflict', 'the scheduler is shut down');
    if (this.running)
      throw new NocturnalError(
        'conflict',
        `a ${this.running.trigger === 'manual' ? 'manual' : 'night'} session is already running; stop it first`,
      );
    return this.launch(
      { trigger: 'manual', maxTasks: options.maxTasks, until: options.until },
      true,
    ) as Promise<Session>;
  }

  /**
   * "Stop after this task": the running task finishes, no new one starts. A night session stopped
   * this way does not restart before its window closes. Returns whether a session was running.
   */
  stopAfterCurrentTask(): boolean {
    if (!this.running) return false;
    if (this.running.trigger === 'night-window') this.pausedUntil = this.windowClosesAt;
    this.running.abort.abort();
    this.publish();
    return true;
  }

  /** Shuts the scheduler down: no new session; a running one stops after its task and is awaited. */
  async stop(): Promise<void> {
    this.phase = 'stopped';
    this.cancelTimer?.();
    this.cancelTimer = null;
    const running = this.running;
    running?.abort.abort();
    this.publish();
    await running?.done;
  }

  /** Resolves when no session is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running.done;
  }

  private tick(): void {
    // Reading the settings may publish `config:changed`, whose listener pokes the scheduler: a look
    // around never runs inside another (it could start a second session); it runs again after.
    if (this.inTick) {
      this.tickAgain = true;
      return;
    }
    this.inTick = true;
    try {
      this.lookAround();
    } finally {
      this.inTick = false;
    }
    if (this.tickAgain) {
      this.tickAgain = false;
      this.tick();
    }
  }

  private lookAround(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
    if (this.phase === 'stopped' || this.running) return;

    let settings: SchedulerConfig;
    try {
      settings = this.deps.settings();
    } catch (error) {
      // An invalid config.yaml must not start (or silently stop) anything: say so and look again.
      this.note = `the configuration cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      this.deps.log.error({ err: this.note }, 'scheduler cannot read its settings');
      this.setPhase('idle');
      this.wakeIn(60_000);
      return;
    }
    const interval = settings.check_interval_s * 1000;
    const now = this.deps.now();
    const window = nightWindow(settings.start_time, settings.end_time);
    const inside = isInWindow(window, minuteOfDayInZone(now, settings.timezone));
    const change = nextWindowChange(window, now, settings.timezone);
    this.nightMode = settings.night_mode;
    this.nextStart = settings.night_mode && !inside ? change : null;
    this.windowClosesAt = inside ? change : null;
    if (this.pausedUntil && (!inside || now >= this.pausedUntil)) this.pausedUntil = null;
    if (this.heldBack && (!inside || this.deps.queued() !== this.heldBack.queued)) this.heldBack = null;

    if (!settings.night_mode) {
      this.note = null;
      this.setPhase('off');
      this.wakeIn(interval);
      return;
    }
    if (!inside) {
      this.note = null;
      this.setPhase('waiting');
      this.wakeIn(change ? Math.min(interval, change.getTime() - now.getTime()) : interval);
      return;
    }
    if (this.pausedUntil) {
      this.note = 'stopped for tonight by the user';
      this.setPhase('idle');
      this.wakeIn(interval);
      return;
    }
    if (this.deps.queued() === 0) {
      this.note = 'the window is open and nothing is queued';
      this.setPhase('idle');
      this.wakeIn(interval);
      return;
    }
    if (this.heldBack) {
      this.note = this.heldBack.reason;
      this.setPhase('idle');
      this.wakeIn(interval);
      return;
    }
    this.note = null;
    const limits = this.deps.nightLimits?.(now) ?? {};
    const ends = [change, limits.until].filter((d): d is Date => d instanceof Date);
    const until = ends.length > 0 ? new Date(Math.min(...ends.map((d) => d.getTime()))) : undefined;
    void this.launch({ trigger: 'night-window', until, maxTasks: limits.maxTasks }, false);
  }

  private launch(
    options: Omit<RunSessionOptions, 'signal' | 'onProgress'>,
    rethrow: boolean,
  ): Promise<Session | undefined> {
    const abort = new AbortController();
    let failed = false;
    /** The engine stopped the session itself (the model server is down): the next try waits an interval. */
    let stoppedByEngine = false;
    this.cancelTimer?.();
    this.cancelTimer = null;
    const done = this.deps
      .runSession({ ...options, signal: abort.signal, onProgress: this.deps.onProgress })
      .then(
        (session) => {
          if (
            options.trigger === 'night-window' &&
            session.status === 'completed' &&
            isHeldBackReason(session.endReason)
          )
            this.heldBack = { queued: this.deps.queued(), reason: session.endReason ?? '' };
          if (options.trigger === 'night-window' && session.status === 'stopped' && !abort.signal.aborted) {
            stoppedByEngine = true;
            this.note = session.endReason;
          }
          return session;
        },
        (error: unknown) => {
          failed = true;
          this.note = `the ${options.trigger === 'manual' ? 'manual' : 'night'} session could not run: ${error instanceof Error ? error.message : String(error)}`;
          this.deps.log.error({ err: this.note }, 'session failed');
          if (rethrow) throw error;
          return undefined;
        },
      )
      .finally(() => {
        this.running = null;
        if (this.phase === 'stopped') return;
        this.phase = 'idle';
        // A failed night start, or a night session the engine had to stop (its model server is down), is
        // retried after a check interval, not at once: at once would start session after session, each
        // ending the same way, all night.
        if ((failed || stoppedByEngine) && options.trigger === 'night-window') this.wakeIn(this.safeInterval());
        else this.tick();
      });
    this.running = { trigger: options.trigger, abort, done: done.catch(() => undefined) };
    this.setPhase('working');
    return done;
  }

  private safeInterval(): number {
    try {
      return this.deps.settings().check_interval_s * 1000;
    } catch {
      return 60_000;
    }
  }

  private wakeIn(ms: number): void {
    this.cancelTimer?.();
    this.cancelTimer = this.deps.setTimer(Math.max(0, ms), () => {
      this.cancelTimer = null;
      this.tick();
    });
  }

  private setPhase(phase: SchedulerPhase): void {
    this.phase = phase;
    this.publish();
  }

  private publish(): void {
    this.deps.onState?.(this.state());
  }
}
