// Stage 1, prepare: the attempt's own worktree on its branch, and the workspace's dependencies for its
// starting commit. It starts from the target branch when that exists and contains the base (so what
// merged tonight is under tomorrow's tasks), unless the workspace says `startFrom: base`; otherwise from
// the base. Where it started is part of the attempt's story.
import { existsSync } from 'node:fs';
import type { EngineWorktree } from '../../git/engine-worktree';
import { addWorktree } from '../../git/worktree-add';
import { isAncestor } from '../../git/is-ancestor';
import { branchRef, shortBranchName } from '../../git/refs';
import { resolveCommits } from '../../git/resolve-commits';
import { repositoryGoneReason } from '../../quality/worktree-tamper';
import { ending } from './attempt-recorder';
import type { AttemptRun, ReadyRun, Staged } from './attempt-run';
import { end, next } from './attempt-run';
import { startAnalysis } from './start-analysis';

export interface Prepared {
  /** The run with its worktree and dependencies: what every later stage works on. */
  ready: ReadyRun;
  /** The commit the attempt starts from: every diff and the baseline are measured against it. */
  baseCommit: string;
  /** Where it started, in words, for the attempt's reasons and the report. */
  startNote: string;
}

export async function prepareStage(
  run: AttemptRun,
  markCreated: (worktree: EngineWorktree) => void,
): Promise<Staged<Prepared>> {
  const { deps, workspace, attempt, worktreeDir, record, signal } = run;
  record.progress('prepare', 0, `creating worktree on ${attempt.branch}`);
  if (!existsSync(workspace.path)) return end(ending('failed', { reasons: [repositoryGoneReason(workspace.path)] }));
  // The base and the target in one git process, or none while the refs they rest on are unchanged.
  const names = [workspace.baseBranch, branchRef(shortBranchName(workspace.targetBranch))];
  const [base, tip] = deps.commits
    ? await deps.commits.resolve(workspace.path, names, deps.git)
    : await resolveCommits(workspace.path, names, deps.git);
  if (!base)
    return end(
      ending('failed', { reasons: [`base branch ${workspace.baseBranch} no longer exists in ${workspace.path}`] }),
    );
  const start = await startingPoint(run, base, tip ?? null);
  const analysis = startAnalysis(run, start.commit);
  const acquired = deps.pool
    ? await deps.pool.acquire(workspace, attempt.branch, start.commit)
    : await addWorktree({
        ...deps.git,
        repoPath: workspace.path,
        worktreePath: worktreeDir,
        ownedRoot: deps.paths.worktrees,
        branch: attempt.branch,
        base: start.commit,
      });
  if (acquired.kind !== 'created' && acquired.kind !== 'ready')
    return end(ending('failed', { reasons: [`could not create the worktree: ${acquired.kind}`] }));
  // From here on git is told this worktree's git dir; its `.git` file is never read again.
  const worktree = acquired.worktree;
  markCreated(worktree);
  record.update({ worktreePath: worktree.path, baseCommit: start.commit, headCommit: start.commit });

  record.progress('prepare', 0, 'making sure the dependencies are installed');
  const dependencies = await deps.dependencies.ensure(workspace, start.commit, { signal });
  if (dependencies.kind === 'failed') return end(ending('failed', { reasons: [dependencies.reason] }));
  return next({
    ready: { ...run, worktree, dependencies, startAnalysis: analysis },
    baseCommit: start.commit,
    startNote: start.note,
  });
}

async function startingPoint(
  run: AttemptRun,
  base: string,
  tip: string | null,
): Promise<{ commit: string; note: string }> {
  const { deps, workspace } = run;
  const fromBase = (why: string) => ({
    commit: base,
    note: `started from the base ${workspace.baseBranch} (${base.slice(0, 12)}): ${why}`,
  });
  const target = shortBranchName(workspace.targetBranch);
  if (workspace.startFrom === 'base') return fromBase('the workspace starts attempts from the base');
  if (tip === null) return fromBase(`${target} does not exist yet`);
  if (tip === base) return fromBase(`${target} is at the same commit`);
  if (!(await isAncestor(workspace.path, base, tip, deps.git)))
    return fromBase(`${target} does not contain ${workspace.baseBranch}`);
  return {
    commit: tip,
    note: `started from the target ${target} (${tip.slice(0, 12)}), which contains ${workspace.baseBranch}`,
  };
}
