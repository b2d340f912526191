// Backup refs: before the engine moves or deletes any ref, the old value is kept under
// `refs/nocturnal/backups/<name>/<UTC timestamp>` (DESIGN §7). Refs, not tags or branches: they keep the
// commits alive against gc, stay out of `git branch`/`git tag` listings, and undo can find them by name.
import { NocturnalError } from '../errors/nocturnal-error';
import { callOptions } from './run-git';
import type { GitCallOptions } from './run-git';
import { updateRefCas } from './update-ref';

export const BACKUP_REF_ROOT = 'refs/nocturnal/backups';

export interface CreateBackupRefParams extends GitCallOptions {
  repoPath: string;
  /** Slash-separated name, e.g. `nocturnal/integration` or `attempt/<id>`; see `sanitizeBackupName`. */
  name: string;
  oid: string;
  /** Defaults to the current time; injectable so tests and sessions control the clock. */
  now?: Date;
  message?: string;
}

/** Creates the backup ref and returns its full name. Never overwrites an existing backup. */
export async function createBackupRef(params: CreateBackupRefParams): Promise<string> {
  assertBackupName(params.name);
  const stamp = formatBackupStamp(params.now ?? new Date());
  // Two backups of one name in the same millisecond get a counter rather than overwriting each other.
  for (let counter = 0; counter < 1000; counter++) {
    const ref = `${BACKUP_REF_ROOT}/${params.name}/${stamp}${counter === 0 ? '' : `-${counter}`}`;
    const result = await updateRefCas({
      ...callOptions(params),
      repoPath: params.repoPath,
      ref,
      newOid: params.oid,
      expectedOld: null,
      message: params.message ?? `nocturnal: backup of ${params.name}`,
    });
    if (result.kind === 'ok') return ref;
  }
  throw new NocturnalError('runtime', `could not find a free backup ref name for ${params.name} at ${stamp}`);
}

/** `2024-05-01T22:03:04.005Z` → `20240501T220304005Z`: sortable, and legal in a ref name (no `:`). */
export function formatBackupStamp(date: Date): string {
  return date.toISOString().replace(/[-:.]/g, '');
}

/** Inverse of `formatBackupStamp` (a `-N` counter suffix is allowed); null when it is not one. */
export function parseBackupStamp(stamp: string): Date | null {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z(?:-\d+)?$/.exec(stamp);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, ms] = match;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export function isValidBackupName(name: string): boolean {
  return name
    .split('/')
    .every((segment) => SEGMENT.test(segment) && !segment.endsWith('.lock') && !segment.includes('..'));
}

export function assertBackupName(name: string): void {
  if (!isValidBackupName(name)) {
    throw new NocturnalError('validation', `not a valid backup name: ${JSON.stringify(name)} (use sanitizeBackupName)`);
  }
}

/** Turns any label (a branch name, an attempt id) into a valid backup name. */
export function sanitizeBackupName(label: string): string {
  const segments = label
    .split('/')
    .map((segment) =>
      segment
        .replace(/[^A-Za-z0-9._-]/g, '-')
        .replace(/\.{2,}/g, '.')
        .replace(/\.lock$/, '-lock')
        .replace(/^[.-]+/, ''),
    )
    .filter((segment) => segment !== '');
  return segments.length === 0 ? 'unnamed' : segments.join('/');
}
