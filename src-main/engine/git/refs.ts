// Small pure helpers about ref names and object ids shared by the operations.
import { NocturnalError } from '../errors/nocturnal-error';

export const HEADS_PREFIX = 'refs/heads/';

/** `main` → `refs/heads/main`; a full `refs/heads/…` name is kept as given. */
export function branchRef(branch: string): string {
  return branch.startsWith(HEADS_PREFIX) ? branch : `${HEADS_PREFIX}${branch}`;
}

/** `refs/heads/main` → `main`. */
export function shortBranchName(ref: string): string {
  return ref.startsWith(HEADS_PREFIX) ? ref.slice(HEADS_PREFIX.length) : ref;
}

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full object id (SHA-1 or SHA-256). */
export function isOid(value: string): boolean {
  return OID.test(value);
}

export function isZeroOid(value: string): boolean {
  return /^0+$/.test(value);
}

/**
 * Refuses values that git would read as an option (a branch called `--force`…) or that cannot be a
 * revision at all. Revisions come from config and the model's plans, so this is input validation,
 * reported as such, not a git failure.
 */
export function assertRevisionArgument(value: string, what: string): void {
  if (value === '' || value.startsWith('-') || /[\0\n\r]/.test(value)) {
    throw new NocturnalError('validation', `${what} is not a usable git revision: ${JSON.stringify(value)}`);
  }
}

export function assertOid(value: string, what: string): void {
  if (!isOid(value)) {
    throw new NocturnalError('validation', `${what} must be a full object id, got ${JSON.stringify(value)}`);
  }
}
