// What every stage of one attempt shares: the task, its workspace, the worktree the attempt owns, the
// abort signal of its time limit and the recorder. Stages return either the value the next stage needs
// or how the attempt ends; only the runner turns an ending into stored state (through the recorder).
import type { Attempt, Task, Workspace } from '../../../../src-shared/domain/records';
import type { TaskBrief } from '../../agents/prompts/prompt-types';
import type { EnsureOutcome } from '../../deps/dependency-service';
import type { EngineWorktree } from '../../git/engine-worktree';
import { restoreWorktreeToHead } from '../../git/worktree-restore';
import type { InteractionContext } from '../../store/interactions-repo';
import type { AttemptDeps } from '../attempt-context';
import type { AttemptEnding, AttemptRecorder } from './attempt-recorder';
import type { StartAnalysis } from './start-analysis';

export interface AttemptRun {
  deps: AttemptDeps;
  task: Task;
  workspace: Workspace;
  /** The attempt row as it was started (id, branch, session). */
  attempt: Attempt;
  /** Where the attempt's worktree is (or will be) created. */
  worktreeDir: string;
  signal: AbortSignal;
  record: AttemptRecorder;
  brief: TaskBrief;
  interaction: InteractionContext & { attemptId: string; taskId: string };
  /**
   * Whether a check ran in the worktree (and passed the integrity check) since its files were last
   * put back to the commit. The restore waits until something reads or writes the files again: the
   * next cycle restores first; an attempt that ends right after its check leaves it to the pool,
   * which restores on reuse what that check changed (worktree-pool). Shared by every stage's copy of
   * the run. One git process fewer for an attempt that ends after one check (issue 12).
   */
  worktreeState: { checkedSinceRestore: boolean };
}

/** The run once prepare has created the worktree and made sure of the dependencies. */
export interface ReadyRun extends AttemptRun {
  /** The worktree as recorded at creation: every git call on it is pinned to these directories. */
  worktree: EngineWorktree;
  /** What the dependency setup gave for the base commit (DESIGN §9b). */
  dependencies: EnsureOutcome;
  /** The first build's repo analysis, computed during the worktree's reset (./start-analysis). */
  startAnalysis?: Promise<StartAnalysis | null>;
}

export type Staged<T> = { next: T } | { end: AttemptEnding };

export function next<T>(value: T): Staged<T> {
  return { next: value };
}

export function end<T>(ending: AttemptEnding): Staged<T> {
  return { end: ending };
}

/** Checks run model-written code with the worktree writable: put it back to the commit afterwards. */
export async function restoreWorktree(run: ReadyRun): Promise<void> {
  await restoreWorktreeToHead({ ...run.deps.git, worktree: run.worktree, ownedRoot: run.deps.paths.worktrees });
  run.worktreeState.checkedSinceRestore = false;
}

/** Before the files are read or written again: the restore a finished check left waiting. */
export async function restoreIfChecked(run: ReadyRun): Promise<void> {
  if (run.worktreeState.checkedSinceRestore) await restoreWorktree(run);
}

export function briefOf(task: Task): TaskBrief {
  return {
    title: task.title,
    description: task.description,
    criteria: task.criteria,
    files: task.files,
    retryNote: task.retryNote,
  };
}
