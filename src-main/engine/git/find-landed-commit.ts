// After a crash between "the target ref moved" and "the attempt was recorded as merged", recovery must
// tell whether an attempt's change already landed, so that it records the merge instead of running the
// task again (which would merge the same change twice). The evidence is git's own: the target branch
// contains the attempt's head, and the backup ref the move wrote first names the tip it replaced.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { isAncestor } from './is-ancestor';
import { listBackups } from './list-backups';
import { resolveRef } from './resolve-ref';
import { assertRevisionArgument, branchRef, shortBranchName } from './refs';

export interface FindLandedParams extends GitCallOptions {
  repoPath: string;
  targetBranch: string;
  /** The attempt's own last commit (never the base commit: that one is in the target anyway). */
  headCommit: string;
  /** The name the merge used for its backup ref (the attempt id). */
  backupName: string;
}

export type FindLandedResult =
  | {
      kind: 'landed';
      /** The commit that brought the change in: the head itself (fast-forward) or the merge commit. */
      commit: string;
      /** The newest backup of the target written for this attempt, or null if none was found. */
      backupRef: string | null;
    }
  | { kind: 'not-landed' };

export async function findLandedCommit(params: FindLandedParams): Promise<FindLandedResult> {
  const { repoPath, headCommit } = params;
  const call = callOptions(params);
  assertRevisionArgument(headCommit, 'head commit');
  const target = shortBranchName(params.targetBranch);
  const tip = await resolveRef(repoPath, branchRef(target), call);
  if (tip === null) return { kind: 'not-landed' };
  if (!(await isAncestor(repoPath, headCommit, tip, call))) return { kind: 'not-landed' };

  const backup = (await listBackups(repoPath, params.backupName, call)).at(-1) ?? null;
  // On the target's first-parent line since the backed-up tip: the head itself (a fast-forward), or
  // the merge commit that has the head as a parent.
  const range = backup ? [`${backup.oid}..${tip}`] : [tip];
  const { stdout } = await runGit(repoPath, ['rev-list', '--first-parent', '--parents', ...range], call);
  let commit = headCommit;
  for (const line of stdout.split('\n')) {
    const [oid, ...parents] = line.trim().split(' ');
    if (!oid) continue;
    if (oid === headCommit) {
      commit = headCommit;
      break;
    }
    if (parents.slice(1).includes(headCommit)) commit = oid;
  }
  return { kind: 'landed', commit, backupRef: backup?.ref ?? null };
}
