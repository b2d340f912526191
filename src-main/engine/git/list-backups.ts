import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { BACKUP_REF_ROOT, assertBackupName, parseBackupStamp } from './backup-ref';

export interface BackupRef {
  ref: string;
  name: string;
  oid: string;
  /** From the ref's timestamp component; null for a ref under the root that we did not name. */
  createdAt: Date | null;
}

/** All backups (or those of one name), oldest first. */
export async function listBackups(repoPath: string, name?: string, opts: GitCallOptions = {}): Promise<BackupRef[]> {
  if (name !== undefined) assertBackupName(name);
  const prefix = name === undefined ? `${BACKUP_REF_ROOT}/` : `${BACKUP_REF_ROOT}/${name}/`;
  const { stdout } = await runGit(repoPath, ['for-each-ref', '--format=%(objectname) %(refname)', prefix], opts);
  const backups: BackupRef[] = [];
  for (const line of stdout.split('\n')) {
    const space = line.indexOf(' ');
    if (space === -1) continue;
    const oid = line.slice(0, space);
    const ref = line.slice(space + 1);
    const rest = ref.slice(BACKUP_REF_ROOT.length + 1);
    const slash = rest.lastIndexOf('/');
    const backupName = slash === -1 ? '' : rest.slice(0, slash);
    // A prefix also matches deeper names (`a/` matches `a/b/<stamp>`); keep exactly the one asked for.
    if (name !== undefined && backupName !== name) continue;
    backups.push({ ref, name: backupName, oid, createdAt: parseBackupStamp(rest.slice(slash + 1)) });
  }
  return backups.sort(
    (a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) || a.ref.localeCompare(b.ref),
  );
}
