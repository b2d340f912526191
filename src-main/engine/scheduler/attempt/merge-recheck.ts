// Before the target moves: when the target branch has moved since the attempt's base, the merge result
// is a tree nobody has checked yet. Build it in the object database (merge-tree + commit-tree, nothing
// checked out of the user's), run the checks on it in a throwaway worktree of ours, and report the checks
// that passed on the attempt's own commit but fail on the merge.
import path from 'node:path';
import type { CheckName } from '../../../../src-shared/domain/attempt';
import { runChecksOnChange } from '../../deps/checks-on-change';
import { commitTree } from '../../git/commit-tree';
import { getDiffStats } from '../../git/diff-stats';
import { isAncestor } from '../../git/is-ancestor';
import { mergeTree } from '../../git/merge-tree';
import { branchRef, shortBranchName } from '../../git/refs';
import { resolveCommit } from '../../git/resolve-ref';
import { addDetachedWorktree } from '../../git/worktree-add-detached';
import { removeWorktree } from '../../git/worktree-remove';
import { dependencyFilesIn } from '../../workspaces/detect-setup';
import type { ReadyRun } from './attempt-run';

export type MergeRecheck =
  /** The target has not moved past the attempt (or does not exist): the merge is the checked commit. */
  | { kind: 'not-needed' }
  /** A conflict: landing will report it; there is no tree to check. */
  | { kind: 'conflict' }
  | { kind: 'checked'; regressions: CheckName[]; target: string };

export async function recheckMerge(run: ReadyRun, head: string): Promise<MergeRecheck> {
  const { deps, workspace, attempt, signal, record } = run;
  const { git } = deps;
  const target = shortBranchName(attempt.targetBranch);
  const tip = await resolveCommit(workspace.path, branchRef(target), git);
  if (tip === null || (await isAncestor(workspace.path, tip, head, git))) return { kind: 'not-needed' };
  const merged = await mergeTree({ ...git, repoPath: workspace.path, ours: tip, theirs: head });
  if (merged.kind === 'conflict') return { kind: 'conflict' };

  record.progress('check', 0, `${target} moved since the base: running the checks on the merge result`);
  const commit = await commitTree({
    ...git,
    repoPath: workspace.path,
    tree: merged.tree,
    parents: [tip, head],
    message: `nocturnal: merge check of ${attempt.branch} into ${target}`,
  });
  const worktree = path.join(deps.paths.worktrees, workspace.id, `${attempt.id}-merge-check`);
  const added = await addDetachedWorktree({
    ...git,
    repoPath: workspace.path,
    worktreePath: worktree,
    ownedRoot: deps.paths.worktrees,
    base: commit,
  });
  if (added.kind !== 'created')
    throw new Error(`could not create the merge-check worktree: ${added.kind} at ${worktree}`);
  try {
    // The merge result's own dependency files may differ from the base's: the same install rules as the
    // change's checks (the base's install, or a fresh offline one of the changed files).
    const changedDependencyFiles = dependencyFilesIn(
      (await getDiffStats(workspace.path, record.attempt().baseCommit ?? tip, commit, git)).files.map((f) => f.path),
    );
    const checked = await runChecksOnChange({
      checks: deps.checks,
      dependencies: deps.dependencies,
      workspace,
      worktree: added.worktree,
      head: commit,
      attemptId: `${attempt.id}-merge-check`,
      base: run.dependencies,
      changedDependencyFiles,
      signal,
    });
    const onMerge = checked.outcomes;
    const onHead = record.attempt().checksAfter ?? [];
    const regressions = onMerge
      .filter((m) => !m.passed && onHead.some((h) => h.name === m.name && h.passed))
      .map((m) => m.name);
    return { kind: 'checked', regressions, target };
  } finally {
    await removeWorktree({
      ...git,
      repoPath: workspace.path,
      worktreePath: worktree,
      ownedRoot: deps.paths.worktrees,
      gitDir: added.worktree.gitDir,
    });
  }
}
