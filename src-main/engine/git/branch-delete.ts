// Deletes an engine branch (a closed attempt's). Like every ref change: backup first, then a
// compare-and-swap delete, and never a branch some worktree has checked out.
import { callOptions } from './run-git';
import type { GitCallOptions } from './run-git';
import { createBackupRef, sanitizeBackupName } from './backup-ref';
import { findBranchCheckout } from './find-branch-checkout';
import { resolveRef } from './resolve-ref';
import { assertRevisionArgument, branchRef, shortBranchName } from './refs';
import { deleteRefCas } from './update-ref';

export interface DeleteBranchParams extends GitCallOptions {
  repoPath: string;
  branch: string;
  /** Defaults to the branch name. */
  backupName?: string;
  now?: Date;
}

export type DeleteBranchResult =
  | { kind: 'deleted'; oid: string; backupRef: string }
  | { kind: 'not-found' }
  | { kind: 'checked-out'; worktree: string }
  | { kind: 'stale'; actual: string | null; backupRef: string }
  | { kind: 'locked'; backupRef: string };

export async function deleteBranch(params: DeleteBranchParams): Promise<DeleteBranchResult> {
  const call = callOptions(params);
  assertRevisionArgument(params.branch, 'branch name');
  const name = shortBranchName(params.branch);
  const ref = branchRef(name);
  const oid = await resolveRef(params.repoPath, ref, call);
  if (oid === null) return { kind: 'not-found' };
  const checkout = await findBranchCheckout(params.repoPath, name, call);
  if (checkout) return { kind: 'checked-out', worktree: checkout.worktree.path };

  const backupRef = await createBackupRef({
    ...call,
    repoPath: params.repoPath,
    name: params.backupName ?? sanitizeBackupName(name),
    oid,
    now: params.now,
    message: `nocturnal: backup of ${ref} before deleting it`,
  });
  const result = await deleteRefCas({
    ...call,
    repoPath: params.repoPath,
    ref,
    expectedOld: oid,
    message: 'nocturnal: delete branch',
  });
  if (result.kind === 'ok') return { kind: 'deleted', oid, backupRef };
  return { ...result, backupRef };
}
