// The only way the engine moves an existing ref: back up its current value, then compare-and-swap.
// The backup comes first so that even a crash between the two steps leaves the old value findable.
import type { GitCallOptions } from './run-git';
import { createBackupRef } from './backup-ref';
import { updateRefCas } from './update-ref';

export interface MoveRefParams extends GitCallOptions {
  repoPath: string;
  ref: string;
  newOid: string;
  /** The value the ref holds now, as the caller last read it; also what is backed up. */
  expectedOld: string;
  backupName: string;
  message: string;
  now?: Date;
}

export type MoveRefResult =
  | { kind: 'moved'; backupRef: string }
  | { kind: 'stale'; actual: string | null; backupRef: string }
  | { kind: 'locked'; backupRef: string };

export async function moveRefWithBackup(params: MoveRefParams): Promise<MoveRefResult> {
  const backupRef = await createBackupRef({
    repoPath: params.repoPath,
    name: params.backupName,
    oid: params.expectedOld,
    now: params.now,
    message: `nocturnal: backup of ${params.ref} before: ${params.message}`,
    policy: params.policy,
    logger: params.logger,
  });
  const result = await updateRefCas({
    repoPath: params.repoPath,
    ref: params.ref,
    newOid: params.newOid,
    expectedOld: params.expectedOld,
    message: params.message,
    policy: params.policy,
    logger: params.logger,
  });
  if (result.kind === 'ok') return { kind: 'moved', backupRef };
  return { ...result, backupRef };
}
