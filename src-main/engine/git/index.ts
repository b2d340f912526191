// The git layer's public surface. Everything the engine does to a repository goes through these.
export { GitError, GitRefusedError, GitStoppedError } from './git-error';
export type { GitErrorDetails, GitStopReason } from './git-error';
export {
  runGit,
  callOptions,
  gitEnvironment,
  observeGitSpawns,
  AGENT_NAME,
  AGENT_EMAIL,
  SAFETY_CONFIG,
  GIT_SILENCE_TIMEOUT_MS,
} from './run-git';
export type { GitCallOptions, GitCommandPolicy, GitPolicyRefusal, GitResult, RunGitOptions } from './run-git';
export { checkGitVersion, parseGitVersion, MIN_GIT_VERSION } from './git-version';
export type { GitVersionCheck } from './git-version';
export { branchRef, shortBranchName, isOid } from './refs';
export { canonicalPath, isStrictlyInside, samePath, assertOwnedPath } from './owned-path';

export { getRepositoryInfo } from './repository-info';
export type { RepositoryInfo } from './repository-info';
export { resolveRef, resolveCommit, resolveTree } from './resolve-ref';
export { branchExists } from './branch-exists';
export { isValidBranchName } from './branch-name';
export { listWorktrees } from './list-worktrees';
export type { WorktreeEntry } from './list-worktrees';
export { findBranchCheckout } from './find-branch-checkout';
export type { BranchCheckout } from './find-branch-checkout';
export { getWorktreeStatus } from './worktree-status';
export type { WorktreeStatus, StatusEntry, OperationInProgress } from './worktree-status';
export { isAncestor } from './is-ancestor';
export { getDiffStats } from './diff-stats';
export type { DiffStats, FileDiffStat } from './diff-stats';
export { getDiffText, DEFAULT_DIFF_MAX_BYTES } from './diff-text';
export type { DiffText, DiffTextOptions } from './diff-text';

export { addWorktree } from './worktree-add';
export type { AddWorktreeParams, AddWorktreeResult } from './worktree-add';
export { removeWorktree } from './worktree-remove';
export type { RemoveWorktreeParams, RemoveWorktreeResult } from './worktree-remove';
export { commitAll } from './commit-all';
export type { CommitAllParams, CommitAllResult } from './commit-all';
export { deleteBranch } from './branch-delete';
export type { DeleteBranchParams, DeleteBranchResult } from './branch-delete';

export {
  createBackupRef,
  sanitizeBackupName,
  isValidBackupName,
  formatBackupStamp,
  parseBackupStamp,
  BACKUP_REF_ROOT,
} from './backup-ref';
export type { CreateBackupRefParams } from './backup-ref';
export { listBackups } from './list-backups';
export type { BackupRef } from './list-backups';
export { pruneBackups } from './prune-backups';
export type { PruneBackupsParams } from './prune-backups';
export { updateRefCas, deleteRefCas } from './update-ref';
export type { CasResult, UpdateRefParams, DeleteRefParams } from './update-ref';
export { moveRefWithBackup } from './move-ref-with-backup';
export type { MoveRefParams, MoveRefResult } from './move-ref-with-backup';
export { mergeTree } from './merge-tree';
export type { MergeTreeParams, MergeTreeResult } from './merge-tree';
export { commitTree } from './commit-tree';
export type { CommitTreeParams } from './commit-tree';
export { fastForwardCheckout } from './fast-forward-checkout';
export type { FastForwardCheckoutParams, FastForwardCheckoutResult, Held, HoldReason } from './fast-forward-checkout';

export { integrateCommit } from './integrate';
export type { IntegrateParams, IntegrateResult } from './integrate';
export { undoIntegration } from './undo-integration';
export type { UndoIntegrationParams, UndoIntegrationResult, NotUndoableReason } from './undo-integration';
