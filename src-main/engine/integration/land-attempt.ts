// Landing an attempt's commit on its workspace's target branch, for the night's auto-approvals and
// the morning's `approve`. The git layer guarantees the user's checkout is untouched (or, if the target
// is checked out there, moved only by a clean fast-forward); this adds what the result means for the
// attempt, in words a person can act on.
import type { Attempt, Task, Workspace } from '../../../src-shared/domain/records';
import { integrateCommit } from '../git/integrate';
import type { GitCallOptions } from '../git/run-git';

export type LandResult =
  { kind: 'merged'; commit: string; backupRef: string | null; note: string } | { kind: 'not-merged'; reason: string };

export async function landAttempt(
  workspace: Workspace,
  task: Task,
  attempt: Attempt,
  now: Date,
  git: GitCallOptions = {},
): Promise<LandResult> {
  if (!attempt.headCommit) return { kind: 'not-merged', reason: 'the attempt has no commit to merge' };
  const result = await integrateCommit({
    ...git,
    repoPath: workspace.path,
    targetBranch: attempt.targetBranch,
    baseBranch: workspace.baseBranch,
    sourceCommit: attempt.headCommit,
    message: `Merge ${attempt.branch}: ${task.title}\n\nNocturnal Agent attempt ${attempt.id} (task ${task.id}), score ${attempt.score?.toFixed(2) ?? 'n/a'}.`,
    backupName: attempt.id,
    now,
  });
  switch (result.kind) {
    case 'merged':
      return {
        kind: 'merged',
        commit: result.commit,
        backupRef: result.backupRef,
        note: `${result.fastForward ? 'fast-forwarded' : 'merged'} ${attempt.targetBranch} to ${result.commit.slice(0, 12)}${result.worktree ? ` (checked out at ${result.worktree}, which was clean)` : ''}`,
      };
    case 'already-merged':
      return {
        kind: 'merged',
        commit: result.tip,
        backupRef: null,
        note: `${attempt.targetBranch} already contains this change`,
      };
    case 'conflict':
      return {
        kind: 'not-merged',
        reason: `merging into ${attempt.targetBranch} would conflict in ${result.paths.join(', ')}`,
      };
    case 'raced':
      return {
        kind: 'not-merged',
        reason: `${attempt.targetBranch} moved while merging; nothing was overwritten — approve again to retry`,
      };
    case 'held':
      return { kind: 'not-merged', reason: `held for review: ${result.detail}` };
  }
}
