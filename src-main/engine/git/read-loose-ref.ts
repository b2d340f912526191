// A ref's object id read straight from the files git's files backend keeps it in, where that answer is
// exactly what `git rev-parse` would give: a loose ref wins over packed-refs, so a regular file holding
// one object id and a newline is the ref's value. Any other shape — no loose file, a symlink, a
// symbolic ref, other content, a reftable repository (whose `refs/heads` is not a folder) — answers
// null, and the caller asks git. Saves a git process where the engine reads a ref it just wrote or
// compares one before and after a check.
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EngineWorktree } from './engine-worktree';

const OID_LINE = /^([0-9a-f]{40}|[0-9a-f]{64})\n$/;
const SYMBOLIC_BRANCH = /^ref: refs\/heads\/(\S+)\n$/;

/** The object id in `file` when it is a regular file holding exactly one; null otherwise. */
export async function readOidFile(file: string): Promise<string | null> {
  const info = await lstat(file).catch(() => null);
  if (info === null || !info.isFile() || info.size > 128) return null;
  const text = await readFile(file, 'utf8').catch(() => null);
  return (text === null ? null : OID_LINE.exec(text)?.[1]) ?? null;
}

/** A branch's commit from its loose ref in the repository's common dir; null: ask git. */
export async function readLooseBranch(commonDir: string, branch: string): Promise<string | null> {
  const parts = branch.split('/');
  if (branch === '' || parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return readOidFile(path.join(commonDir, 'refs', 'heads', ...parts));
}

/** What the worktree's HEAD resolves to: a detached commit, or its branch's loose ref; null: ask git. */
export async function readLooseHead(worktree: EngineWorktree): Promise<string | null> {
  const head = path.join(worktree.gitDir, 'HEAD');
  const info = await lstat(head).catch(() => null);
  if (info === null || !info.isFile() || info.size > 1024) return null;
  const text = await readFile(head, 'utf8').catch(() => null);
  if (text === null) return null;
  const detached = OID_LINE.exec(text)?.[1];
  if (detached !== undefined) return detached;
  const branch = SYMBOLIC_BRANCH.exec(text)?.[1];
  return branch === undefined ? null : readLooseBranch(worktree.commonDir, branch);
}
