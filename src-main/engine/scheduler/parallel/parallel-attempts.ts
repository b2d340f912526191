// Several attempts of one task side by side (DESIGN §4 "Attempt"; issue 12 "Parallel attempts"): up to
// parallel.max_parallel_attempts variants (temperature, executor), each a whole attempt run of its own
// — worktree, branch, cycles, checks — sharing the one loaded model through its context sequences
// (the embedded provider is created with max_parallel_attempts sequences), with their checks queued
// on the cores the resource gate allows. When every attempt knows how it would end, the best by
// evidence wins (choose-winner.ts): only it lands (merge or hold) and decides the task's state; the
// others are closed as attempts that lost to it, their worktrees removed and branches deleted behind
// a backup ref like every rejected attempt's.
import type { Task } from '../../../../src-shared/domain/records';
import type { AttemptDeps } from '../attempt-context';
import type { AttemptResult } from '../attempt-runner';
import { AttemptRunner } from '../attempt-runner';
import { planVariants } from './attempt-variants';
import type { AttemptVariant } from './attempt-variants';
import { queuedChecks } from './check-slots';
import type { Semaphore } from './check-slots';
import { Contest } from './contest';

export interface ParallelAttemptsOptions {
  /** How many attempts each task gets (parallel.max_parallel_attempts). */
  attempts: number;
  /** Check runs allowed at once across the attempts. */
  checkSlots: Semaphore;
}

export interface ParallelResult {
  /** The winner's result: what the task came to. */
  winner: AttemptResult;
  /** Every attempt's result, in variant order. */
  all: AttemptResult[];
  variants: AttemptVariant[];
}

export class ParallelAttempts {
  constructor(
    private readonly deps: AttemptDeps,
    private readonly options: ParallelAttemptsOptions,
  ) {}

  async run(task: Task, sessionId: string): Promise<ParallelResult> {
    const { deps } = this;
    const variants = planVariants(this.options.attempts, {
      temperature: deps.config.llm.temperature,
      executor: task.executor,
    });
    deps.store.tasks.transition(task.id, 'running', deps.now());
    const contest = new Contest(variants.length);
    const checks = queuedChecks(deps.checks, this.options.checkSlots);
    const runs = variants.map((variant) => {
      const runner = new AttemptRunner({
        ...deps,
        checks,
        model: deps.model.withTemperature(variant.temperature),
        log: deps.log.child({ variant: variant.index }),
      });
      // Each run enters the contest itself; one that throws before entering must not keep the others waiting.
      return runner
        .run({ ...task, executor: variant.executor }, sessionId, { variant: variant.index, contest })
        .finally(() => contest.leave(variant.index));
    });
    const settled = await Promise.allSettled(runs);
    const all: AttemptResult[] = [];
    for (const result of settled) {
      if (result.status === 'rejected') throw result.reason;
      all.push(result.value);
    }
    const chosen = contest.chosen;
    const winner = chosen === null ? undefined : all.find((r) => r.id === chosen.winner.attemptId);
    if (winner === undefined) throw new Error(`no attempt of task ${task.id} reached a result`);
    return { winner, all, variants };
  }
}
