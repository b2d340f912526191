// One change in full for the review window (`review:get`): the task and attempt, the diff by file and
// hunk (from the attempt's own commits, so it still shows after the branch is gone), each check
// before and after, the score breakdown and the model's own review as it answered.
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import type { Attempt } from '../../../src-shared/domain/records';
import type { AttemptDiff, CheckComparison, ModelReview, ReviewDetail } from '../../../src-shared/domain/review';
import { reviewItemOf } from './review-item';
import { NocturnalError } from '../errors/nocturnal-error';
import { getDiffText } from '../git/diff-text';
import type { GitCallOptions } from '../git/run-git';
import { reviewSchema } from '../llm/protocol';
import type { Store } from '../store/store';
import { parseUnifiedDiff } from './parse-unified-diff';

export async function buildReviewDetail(store: Store, git: GitCallOptions, attemptId: string): Promise<ReviewDetail> {
  const attempt = store.attempts.require(attemptId);
  const task = store.tasks.require(attempt.taskId);
  const workspace = store.workspaces.get(task.workspaceId);
  if (!workspace)
    throw new NocturnalError(
      'not_found',
      `the workspace of task ${task.id} was removed; its changes can no longer be shown`,
    );
  const item = reviewItemOf(task, attempt);
  return {
    item,
    task,
    attempt,
    diff: await attemptDiff(workspace.path, attempt, git),
    checks: compareChecks(attempt.checksBefore, attempt.checksAfter),
    scoreBreakdown: attempt.scoreBreakdown,
    review: modelReview(store, attempt.id),
  };
}

async function attemptDiff(repoPath: string, attempt: Attempt, git: GitCallOptions): Promise<AttemptDiff | null> {
  if (!attempt.baseCommit || !attempt.headCommit) return null;
  const diff = await getDiffText(repoPath, attempt.baseCommit, attempt.headCommit, git);
  return {
    from: attempt.baseCommit,
    to: attempt.headCommit,
    files: parseUnifiedDiff(diff.text),
    truncated: diff.truncated,
  };
}

export function compareChecks(before: CheckOutcome[] | null, after: CheckOutcome[] | null): CheckComparison[] {
  const names = [...new Set([...(before ?? []), ...(after ?? [])].map((c) => c.name))];
  return names.map((name) => {
    const was = before?.find((c) => c.name === name) ?? null;
    const now = after?.find((c) => c.name === name) ?? null;
    let change: CheckComparison['change'] = 'not-run';
    if (was && now)
      change = was.passed ? (now.passed ? 'still-passing' : 'broken') : now.passed ? 'fixed' : 'still-failing';
    else if (now) change = now.passed ? 'still-passing' : 'still-failing';
    return { name, command: (now ?? was)?.command ?? '', before: was, after: now, change };
  });
}

/** The last `nocturnal_review` answer recorded for the attempt, as the model gave it. */
function modelReview(store: Store, attemptId: string): ModelReview | null {
  const calls = store.interactions
    .forAttempt(attemptId)
    .filter((call) => call.schemaName === reviewSchema.name && call.response !== null && call.error === null);
  const last = calls.at(-1);
  if (!last?.response) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(last.response);
  } catch {
    return null;
  }
  const parsed = reviewSchema.parse.safeParse(raw);
  if (!parsed.success) return null;
  return {
    score: parsed.data.score,
    verdict: parsed.data.verdict,
    issues: parsed.data.issues,
    model: last.model,
    createdAt: last.createdAt,
  };
}
