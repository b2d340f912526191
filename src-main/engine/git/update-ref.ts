// Compare-and-swap on a ref: `git update-ref -m MSG REF NEW OLD`. Git takes the ref's lock, checks that
// it still holds OLD and only then writes NEW, so a user committing at the same moment can never be
// overwritten. Losing that race is an expected outcome, returned as a value.
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { NocturnalError } from '../errors/nocturnal-error';
import { GitError } from './git-error';
import { resolveRef } from './resolve-ref';
import { assertOid, assertRevisionArgument } from './refs';

export type CasResult =
  | { kind: 'ok' }
  /** The ref no longer holds the expected value; `actual` is what it holds now (null: absent). */
  | { kind: 'stale'; actual: string | null }
  /** Another process holds the ref's lock right now. */
  | { kind: 'locked' };

export interface UpdateRefParams extends GitCallOptions {
  repoPath: string;
  /** Full ref name, e.g. `refs/heads/nocturnal/integration`. */
  ref: string;
  newOid: string;
  /** What the ref must hold now; null means it must not exist (create). */
  expectedOld: string | null;
  /** Reflog message. */
  message: string;
}

export async function updateRefCas(params: UpdateRefParams): Promise<CasResult> {
  assertFullRef(params.ref);
  assertOid(params.newOid, 'new value');
  if (params.expectedOld !== null) assertOid(params.expectedOld, 'expected old value');
  // An empty OLD is git's hash-agnostic spelling of "must not exist yet" (no 40- vs 64-digit zeros).
  const args = ['update-ref', '-m', oneLine(params.message), params.ref, params.newOid, params.expectedOld ?? ''];
  return casOutcome(params, args, params.expectedOld);
}

export interface DeleteRefParams extends GitCallOptions {
  repoPath: string;
  ref: string;
  expectedOld: string;
  message: string;
}

/** `update-ref -d REF OLD`: deletes only if the ref still holds `expectedOld`. */
export async function deleteRefCas(params: DeleteRefParams): Promise<CasResult> {
  assertFullRef(params.ref);
  assertOid(params.expectedOld, 'expected old value');
  const args = ['update-ref', '-m', oneLine(params.message), '-d', params.ref, params.expectedOld];
  return casOutcome(params, args, params.expectedOld);
}

async function casOutcome(
  params: GitCallOptions & { repoPath: string; ref: string },
  args: string[],
  expected: string | null,
): Promise<CasResult> {
  // 128 for a failed update, 1 for a failed delete.
  const result = await runGit(params.repoPath, args, { ...callOptions(params), okExitCodes: [0, 1, 128] });
  if (result.exitCode === 0) return { kind: 'ok' };
  const actual = await resolveRef(params.repoPath, params.ref, callOptions(params));
  if (actual !== expected) return { kind: 'stale', actual };
  if (/\.lock'?: File exists/i.test(result.stderr)) return { kind: 'locked' };
  throw new GitError({ args, cwd: params.repoPath, exitCode: result.exitCode, stderr: result.stderr });
}

function assertFullRef(ref: string): void {
  assertRevisionArgument(ref, 'ref');
  if (!ref.startsWith('refs/')) {
    throw new NocturnalError(
      'validation',
      `refusing to update ${JSON.stringify(ref)}: the engine only moves full refs/… names`,
    );
  }
}

/** Reflog messages are single lines. */
function oneLine(message: string): string {
  return message.replace(/\s+/g, ' ').trim() || 'nocturnal';
}
