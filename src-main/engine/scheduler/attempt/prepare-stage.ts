// Stage 1, prepare: the attempt's own worktree on its branch, created from the base commit.
import { addWorktree } from '../../git/worktree-add';
import { resolveCommit } from '../../git/resolve-ref';
import { ending } from './attempt-recorder';
import type { AttemptRun, Staged } from './attempt-run';
import { end, next } from './attempt-run';

export interface Prepared {
  baseCommit: string;
}

export async function prepareStage(run: AttemptRun, markCreated: () => void): Promise<Staged<Prepared>> {
  const { deps, workspace, attempt, worktree, record } = run;
  record.progress('prepare', 0, `creating worktree on ${attempt.branch}`);
  const baseCommit = await resolveCommit(workspace.path, workspace.baseBranch, deps.git);
  if (!baseCommit) return end(ending('failed', { reasons: [`base branch ${workspace.baseBranch} no longer exists in ${workspace.path}`] }));
  const added = await addWorktree({ ...deps.git, repoPath: workspace.path, worktreePath: worktree, ownedRoot: deps.paths.worktrees, branch: attempt.branch, base: baseCommit });
  if (added.kind !== 'created') return end(ending('failed', { reasons: [`could not create the worktree: ${added.kind}`] }));
  markCreated();
  record.update({ worktreePath: worktree, baseCommit, headCommit: baseCommit });
  return next({ baseCommit });
}
