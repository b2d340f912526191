// Undoes an integration (`nocturnal undo`). Policy, same as integrating (DESIGN §2.1):
//  - target NOT checked out anywhere and still exactly at the merged commit → rewind the ref to the
//    backup (backup of the current value first, CAS), as if the integration never happened;
//  - target NOT checked out, with commits on top → a revert commit, built without any working tree;
//  - target checked out somewhere → never a rewind (moving a checked-out branch backwards is a reset
//    under the user's feet: their index and files would suddenly disagree with HEAD). Instead the same
//    revert commit is made and the clean checkout is fast-forwarded to it with `merge --ff-only`;
//    a dirty checkout holds the undo, nothing touched.
// The revert tree is the three-way merge base=merged, ours=tip, theirs=previous. git 2.39's merge-tree
// has no --merge-base, so we make that base the natural one: a throw-away commit with previous's tree
// whose only parent is the merged commit. Its merge base with the tip is exactly the merged commit.
// Using `previous` (the backup) rather than `merged^1` also undoes a fast-forward of several commits.
import { callOptions } from './run-git';
import type { GitCallOptions } from './run-git';
import { NocturnalError } from '../errors/nocturnal-error';
import { resolveRef, resolveTree } from './resolve-ref';
import { findBranchCheckout } from './find-branch-checkout';
import { isAncestor } from './is-ancestor';
import { moveRefWithBackup } from './move-ref-with-backup';
import { mergeTree } from './merge-tree';
import { commitTree } from './commit-tree';
import { fastForwardCheckout } from './fast-forward-checkout';
import type { Held } from './fast-forward-checkout';
import { BACKUP_REF_ROOT } from './backup-ref';
import { assertOid, assertRevisionArgument, branchRef, shortBranchName } from './refs';

export interface UndoIntegrationParams extends GitCallOptions {
  repoPath: string;
  targetBranch: string;
  /** `commit` from the integration's result. */
  mergedCommit: string;
  /** `backupRef` from the integration's result: the target's value before it. */
  backupRef: string;
  /** Backups made by the undo itself go under this name. */
  backupName: string;
  /** Message for a revert commit; a default names the merged commit. */
  message?: string;
  now?: Date;
}

export type NotUndoableReason =
  'backup-missing' | 'target-missing' | 'merged-commit-not-on-target' | 'backup-not-before-merge';

export type UndoIntegrationResult =
  | { kind: 'rewound'; from: string; to: string; backupRef: string }
  | { kind: 'reverted'; commit: string; previous: string; backupRef: string; worktree: string | null }
  /** The target already has the pre-integration content. */
  | { kind: 'already-undone'; tip: string }
  | { kind: 'not-undoable'; reason: NotUndoableReason; detail: string }
  /** Later commits changed the same lines; reverting would conflict. Nothing was moved. */
  | { kind: 'conflict'; paths: string[]; messages: string[] }
  | Held
  | { kind: 'raced'; actual: string | null };

export async function undoIntegration(params: UndoIntegrationParams): Promise<UndoIntegrationResult> {
  const call = callOptions(params);
  const { repoPath } = params;
  assertOid(params.mergedCommit, 'merged commit');
  assertRevisionArgument(params.backupRef, 'backup ref');
  if (!params.backupRef.startsWith(`${BACKUP_REF_ROOT}/`)) {
    throw new NocturnalError('validation', `${params.backupRef} is not a backup ref under ${BACKUP_REF_ROOT}/`);
  }
  const target = shortBranchName(params.targetBranch);
  const targetRef = branchRef(target);
  const merged = params.mergedCommit;
  const notUndoable = (reason: NotUndoableReason, detail: string): UndoIntegrationResult => ({
    kind: 'not-undoable',
    reason,
    detail,
  });

  const previous = await resolveRef(repoPath, params.backupRef, call);
  if (previous === null) return notUndoable('backup-missing', `backup ${params.backupRef} no longer exists`);
  const tip = await resolveRef(repoPath, targetRef, call);
  if (tip === null) return notUndoable('target-missing', `branch ${target} no longer exists`);
  if (tip === previous) return { kind: 'already-undone', tip };
  if (!(await isAncestor(repoPath, merged, tip, call))) {
    return notUndoable(
      'merged-commit-not-on-target',
      `${merged} is no longer part of ${target} (rewound or rewritten)`,
    );
  }
  if (!(await isAncestor(repoPath, previous, merged, call))) {
    return notUndoable(
      'backup-not-before-merge',
      `${params.backupRef} is not an ancestor of ${merged}; it is not this integration's backup`,
    );
  }

  const checkout = await findBranchCheckout(repoPath, target, call);
  if (checkout === null && tip === merged) {
    const moved = await moveRefWithBackup({
      ...call,
      repoPath,
      ref: targetRef,
      newOid: previous,
      expectedOld: tip,
      backupName: params.backupName,
      message: `nocturnal: undo integration of ${merged} into ${target}`,
      now: params.now,
    });
    if (moved.kind === 'stale') return { kind: 'raced', actual: moved.actual };
    if (moved.kind === 'locked') return { kind: 'raced', actual: null };
    return { kind: 'rewound', from: tip, to: previous, backupRef: moved.backupRef };
  }
  if (checkout !== null && checkout.via !== 'checkout') {
    return {
      kind: 'held',
      reason: 'rebase-or-bisect',
      detail: `${target} is being ${checkout.via === 'rebase' ? 'rebased' : 'bisected'} in ${checkout.worktree.path}`,
      worktree: checkout.worktree.path,
    };
  }

  const previousTree = await requireTree(repoPath, previous, call);
  const undoBase = await commitTree({
    ...call,
    repoPath,
    tree: previousTree,
    parents: [merged],
    message: 'nocturnal: internal undo base (never referenced)',
  });
  const reverted = await mergeTree({ ...call, repoPath, ours: tip, theirs: undoBase });
  if (reverted.kind === 'conflict') return { kind: 'conflict', paths: reverted.paths, messages: reverted.messages };
  if (reverted.tree === (await requireTree(repoPath, tip, call))) return { kind: 'already-undone', tip };
  const revert = await commitTree({
    ...call,
    repoPath,
    tree: reverted.tree,
    parents: [tip],
    message:
      params.message ??
      `Revert nocturnal integration ${merged.slice(0, 12)}\n\nThis undoes the change that ${merged} brought into ${target}.\n`,
  });

  if (checkout !== null) {
    const result = await fastForwardCheckout({
      ...call,
      repoPath,
      worktreePath: checkout.worktree.path,
      branch: target,
      targetCommit: revert,
      backupName: params.backupName,
      now: params.now,
    });
    if (result.kind === 'held') return result;
    return {
      kind: 'reverted',
      commit: revert,
      previous: result.previous,
      backupRef: result.backupRef,
      worktree: checkout.worktree.path,
    };
  }
  const moved = await moveRefWithBackup({
    ...call,
    repoPath,
    ref: targetRef,
    newOid: revert,
    expectedOld: tip,
    backupName: params.backupName,
    message: `nocturnal: revert integration of ${merged} on ${target}`,
    now: params.now,
  });
  if (moved.kind === 'stale') return { kind: 'raced', actual: moved.actual };
  if (moved.kind === 'locked') return { kind: 'raced', actual: null };
  return { kind: 'reverted', commit: revert, previous: tip, backupRef: moved.backupRef, worktree: null };
}

async function requireTree(repoPath: string, commit: string, call: GitCallOptions): Promise<string> {
  const tree = await resolveTree(repoPath, commit, call);
  if (tree === null) throw new NocturnalError('runtime', `commit ${commit} has no tree in ${repoPath}`);
  return tree;
}
