// Backups are kept for a while (logging.retention_days style) and then dropped, so the ref namespace
// and the commits they pin do not grow forever.
import { callOptions } from './run-git';
import type { GitCallOptions } from './run-git';
import { listBackups } from './list-backups';
import type { BackupRef } from './list-backups';
import { deleteRefCas } from './update-ref';

export interface PruneBackupsParams extends GitCallOptions {
  repoPath: string;
  olderThanDays: number;
  now?: Date;
  /** Only backups of this name. */
  name?: string;
}

export async function pruneBackups(params: PruneBackupsParams): Promise<{ deleted: BackupRef[] }> {
  const cutoff = (params.now ?? new Date()).getTime() - params.olderThanDays * 24 * 60 * 60 * 1000;
  const deleted: BackupRef[] = [];
  for (const backup of await listBackups(params.repoPath, params.name, callOptions(params))) {
    // A ref whose date we cannot read was not made by us in this format: leave it alone.
    if (backup.createdAt === null || backup.createdAt.getTime() >= cutoff) continue;
    const result = await deleteRefCas({
      ...callOptions(params),
      repoPath: params.repoPath,
      ref: backup.ref,
      expectedOld: backup.oid,
      message: 'nocturnal: prune old backup',
    });
    if (result.kind === 'ok') deleted.push(backup);
  }
  return { deleted };
}
