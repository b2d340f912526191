// How long undo stays possible (DESIGN §7 "Backups"). Every ref move leaves a backup under
// refs/nocturnal/backups/<name>/<stamp>; each pins its commits against gc, so they are dropped after
// `safety.backup_retention_days` — except the backups that undo of a change merged within that
// window needs, which the caller names (it knows the attempts; this layer knows only refs).
//
// Deleting goes through the git layer's pruneBackups (compare-and-swap deletes, unknown ref formats
// left alone). pruneBackups takes whole backup names, and names are per attempt, so a name holding
// a protected backup is left out entirely: the few other refs of a still-undoable attempt stay too.
import { NocturnalError } from '../errors/nocturnal-error';
import { listBackups } from '../git/list-backups';
import type { BackupRef } from '../git/list-backups';
import { pruneBackups } from '../git/prune-backups';
import { callOptions } from '../git/run-git';
import type { GitCallOptions } from '../git/run-git';

export interface BackupRetentionParams extends GitCallOptions {
  /** The workspace repository (the user's repository: only refs/nocturnal/backups/** is touched). */
  repoPath: string;
  retentionDays: number;
  /** Full backup ref names to keep whatever their age: those of attempts merged within the window. */
  protectedRefs: readonly string[];
  now?: Date;
}

export interface BackupRetentionResult {
  deleted: BackupRef[];
  /** Old backups kept because they, or another backup of the same name, are protected. */
  kept: BackupRef[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function applyBackupRetention(params: BackupRetentionParams): Promise<BackupRetentionResult> {
  if (!Number.isFinite(params.retentionDays) || params.retentionDays <= 0) {
    throw new NocturnalError(
      'validation',
      `backup retention must be a positive number of days, got ${params.retentionDays}`,
    );
  }
  const now = params.now ?? new Date();
  const cutoff = now.getTime() - params.retentionDays * DAY_MS;
  const git = callOptions(params);
  const old = (await listBackups(params.repoPath, undefined, git)).filter(
    (b) => b.createdAt !== null && b.createdAt.getTime() < cutoff,
  );
  if (old.length === 0) return { deleted: [], kept: [] };

  const protectedRefs = new Set(params.protectedRefs);
  const heldNames = new Set(old.filter((b) => protectedRefs.has(b.ref)).map((b) => b.name));
  const kept = old.filter((b) => heldNames.has(b.name));
  const common = { ...git, repoPath: params.repoPath, olderThanDays: params.retentionDays, now };
  if (heldNames.size === 0) return { deleted: (await pruneBackups(common)).deleted, kept };

  const deleted: BackupRef[] = [];
  for (const name of new Set(old.map((b) => b.name))) {
    if (heldNames.has(name)) continue;
    deleted.push(...(await pruneBackups({ ...common, name })).deleted);
  }
  return { deleted, kept };
}
