// A waiting change as `review list` and `review:get` show it: one mapping for both.
import type { Attempt, Task } from '../../../src-shared/domain/records';
import type { ReviewItem } from '../../../src-shared/domain/review';

export function reviewItemOf(task: Task, attempt: Attempt): ReviewItem {
  return {
    attemptId: attempt.id,
    taskId: task.id,
    title: task.title,
    workspace: task.workspace,
    score: attempt.score,
    decision: attempt.decision,
    branch: attempt.branch,
    targetBranch: attempt.targetBranch,
    reasons: attempt.reasons,
    diff: attempt.diff,
    endedAt: attempt.endedAt,
  };
}
