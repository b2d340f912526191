// Estimates one queued task from the attempts that came before it (issue 12, "A night planner").
import type { TaskExecutor } from '../../../../src-shared/domain/task';

/** One finished past attempt, as the ledger and the attempts table recorded it. */
export interface PastAttempt {
  workspaceId: string;
  executor: TaskExecutor;
  /** Improvement cycles after the first pass (attempts.cycles). */
  cycles: number;
  completionTokens: number;
  /** Wall time of the whole attempt. */
  durationMs: number;
  /** Time the model calls took (usage.duration_ms summed): the rest is checks and git. */
  modelMs: number;
}

/**
 * Used when a workspace has no finished attempt yet, and said so in the plan: a direct edit of a few
 * files takes about 1,500 generated tokens per pass (edit + review), a second pass half the time, and
 * 90 s of checks and git per attempt on a small repository.
 */
export const prior = { completionTokensPerPass: 1500, passes: 1.5, otherSeconds: 90 } as const;

export interface TaskEstimate {
  /** Generated tokens, all passes. */
  tokens: number;
  seconds: number;
  basis: 'history' | 'prior';
  samples: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/**
 * Tokens = median tokens per pass × expected passes (the median of 1 + cycles), from the past attempts
 * of the same workspace and executor — or of the workspace when that executor never ran there. Time =
 * tokens at the model's measured speed + the median time spent outside the model; so a faster model
 * tonight shortens the estimate even though the history was made with a slower one.
 */
export function estimateTask(
  task: { workspaceId: string; executor: TaskExecutor },
  history: readonly PastAttempt[],
  tokensPerSecond: number,
): TaskEstimate {
  if (!(tokensPerSecond > 0)) throw new Error(`estimateTask: tokensPerSecond must be positive, got ${tokensPerSecond}`);
  const inWorkspace = history.filter((a) => a.workspaceId === task.workspaceId);
  const sameExecutor = inWorkspace.filter((a) => a.executor === task.executor);
  const similar = sameExecutor.length > 0 ? sameExecutor : inWorkspace;
  if (similar.length === 0) {
    const tokens = prior.completionTokensPerPass * prior.passes;
    return { tokens, seconds: tokens / tokensPerSecond + prior.otherSeconds, basis: 'prior', samples: 0 };
  }
  const passes = median(similar.map((a) => 1 + a.cycles));
  const perPass = median(similar.map((a) => a.completionTokens / (1 + a.cycles)));
  const otherSeconds = median(similar.map((a) => Math.max(0, a.durationMs - a.modelMs) / 1000));
  const tokens = perPass * passes;
  return { tokens, seconds: tokens / tokensPerSecond + otherSeconds, basis: 'history', samples: similar.length };
}
