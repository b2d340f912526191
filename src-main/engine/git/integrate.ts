// Lands a finished attempt on the workspace's target branch — for auto-approved work at night and for
// `approve` in the morning. The user's checkout is sacred (DESIGN §2.1, §4 Workspace):
//  - target checked out in some worktree → only a fast-forward, only in a clean tree (`merge --ff-only`);
//    anything else is held for review, nothing touched;
//  - target not checked out → no working tree is involved at all: fast-forward by ref, or a real merge
//    computed with `merge-tree --write-tree` + `commit-tree`, and the ref moved with a backup + CAS.
// Known window: a user checking the target out between our check and the ref update is not detected;
// the CAS still guarantees no commit of theirs is lost, and the backup ref allows undo.
import { callOptions } from './run-git';
import type { GitCallOptions } from './run-git';
import { NocturnalError } from '../errors/nocturnal-error';
import { resolveCommit, resolveRef } from './resolve-ref';
import { findBranchCheckout } from './find-branch-checkout';
import { isAncestor } from './is-ancestor';
import { updateRefCas } from './update-ref';
import { moveRefWithBackup } from './move-ref-with-backup';
import { mergeTree } from './merge-tree';
import { commitTree } from './commit-tree';
import { fastForwardCheckout } from './fast-forward-checkout';
import type { Held } from './fast-forward-checkout';
import { assertRevisionArgument, branchRef, shortBranchName } from './refs';

export interface IntegrateParams extends GitCallOptions {
  repoPath: string;
  /** Where work lands, e.g. `nocturnal/integration`; created from `baseBranch` when missing. */
  targetBranch: string;
  baseBranch: string;
  /** The attempt's final commit (any revision; resolved to a commit first). */
  sourceCommit: string;
  /** Message of the merge commit, when a true merge is needed. */
  message: string;
  /** Backup refs of the target go under `refs/nocturnal/backups/<backupName>/…`. */
  backupName: string;
  now?: Date;
}

export type IntegrateResult =
  | {
      kind: 'merged';
      /** The target's new tip: the source itself for a fast-forward, else the new merge commit. */
      commit: string;
      previous: string;
      backupRef: string;
      fastForward: boolean;
      /** The target branch did not exist and was created at the base branch's tip first. */
      createdTarget: boolean;
      /** The checkout that was fast-forwarded, or null when only the ref moved. */
      worktree: string | null;
    }
  /** The source is already contained in the target: nothing to do. */
  | { kind: 'already-merged'; tip: string; createdTarget: boolean }
  /** A real merge would conflict in these paths; nothing was moved. */
  | { kind: 'conflict'; paths: string[]; messages: string[]; createdTarget: boolean }
  | (Held & { createdTarget: boolean })
  /** Someone moved the target between our read and our write; nothing of theirs was overwritten. */
  | { kind: 'raced'; actual: string | null };

export async function integrateCommit(params: IntegrateParams): Promise<IntegrateResult> {
  const call = callOptions(params);
  const { repoPath } = params;
  assertRevisionArgument(params.targetBranch, 'target branch');
  const target = shortBranchName(params.targetBranch);
  const targetRef = branchRef(target);

  const source = await resolveCommit(repoPath, params.sourceCommit, call);
  if (source === null)
    throw new NocturnalError('runtime', `commit ${params.sourceCommit} does not exist in ${repoPath}`);

  let tip = await resolveRef(repoPath, targetRef, call);
  const checkout = await findBranchCheckout(repoPath, target, call);
  let createdTarget = false;
  if (tip === null) {
    if (checkout) {
      return {
        kind: 'held',
        reason: 'unborn-checkout',
        detail: `${target} is checked out without any commit in ${checkout.worktree.path}; creating it would change that checkout`,
        worktree: checkout.worktree.path,
        createdTarget,
      };
    }
    const base = await resolveCommit(repoPath, params.baseBranch, call);
    if (base === null)
      throw new NocturnalError('runtime', `base branch ${params.baseBranch} does not exist in ${repoPath}`);
    const created = await updateRefCas({
      ...call,
      repoPath,
      ref: targetRef,
      newOid: base,
      expectedOld: null,
      message: `nocturnal: create ${target} from ${params.baseBranch}`,
    });
    if (created.kind === 'stale') return { kind: 'raced', actual: created.actual };
    if (created.kind === 'locked') return { kind: 'raced', actual: null };
    tip = base;
    createdTarget = true;
  }

  if (await isAncestor(repoPath, source, tip, call)) return { kind: 'already-merged', tip, createdTarget };

  if (checkout) {
    if (checkout.via !== 'checkout') {
      return {
        kind: 'held',
        reason: 'rebase-or-bisect',
        detail: `${target} is being ${checkout.via === 'rebase' ? 'rebased' : 'bisected'} in ${checkout.worktree.path}`,
        worktree: checkout.worktree.path,
        createdTarget,
      };
    }
    const result = await fastForwardCheckout({
      ...call,
      repoPath,
      worktreePath: checkout.worktree.path,
      branch: target,
      targetCommit: source,
      backupName: params.backupName,
      now: params.now,
    });
    if (result.kind === 'held') return { ...result, createdTarget };
    return {
      kind: 'merged',
      commit: source,
      previous: result.previous,
      backupRef: result.backupRef,
      fastForward: true,
      createdTarget,
      worktree: checkout.worktree.path,
    };
  }

  const fastForward = await isAncestor(repoPath, tip, source, call);
  let commit = source;
  if (!fastForward) {
    const merged = await mergeTree({ ...call, repoPath, ours: tip, theirs: source });
    if (merged.kind === 'conflict')
      return { kind: 'conflict', paths: merged.paths, messages: merged.messages, createdTarget };
    commit = await commitTree({
      ...call,
      repoPath,
      tree: merged.tree,
      parents: [tip, source],
      message: params.message,
    });
  }
  const moved = await moveRefWithBackup({
    ...call,
    repoPath,
    ref: targetRef,
    newOid: commit,
    expectedOld: tip,
    backupName: params.backupName,
    message: fastForward
      ? `nocturnal: fast-forward ${target} to ${source}`
      : `nocturnal: merge ${source} into ${target}`,
    now: params.now,
  });
  if (moved.kind === 'stale') return { kind: 'raced', actual: moved.actual };
  if (moved.kind === 'locked') return { kind: 'raced', actual: null };
  return {
    kind: 'merged',
    commit,
    previous: tip,
    backupRef: moved.backupRef,
    fastForward,
    createdTarget,
    worktree: null,
  };
}
