// A ref's object id read straight from the files git's files backend keeps it in, where that answer is
// exactly what `git rev-parse` would give: a loose ref wins over packed-refs, so a regular file holding
// one object id and a newline is the ref's value. Any other shape — no loose file, a symlink, a
// symbolic ref, other content, a reftable repository (whose `refs/heads` is not a folder) — answers
// null, and the caller asks git. Saves a git process where the engine reads a ref it just wrote or
// compares one before and after a check. The reads are synchronous: one small file each, where a
// thread-pool round trip (behind whatever else the pool is doing) cost more than the read.
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { EngineWorktree } from './engine-worktree';

const OID_LINE = /^([0-9a-f]{40}|[0-9a-f]{64})\n$/;
const SYMBOLIC_BRANCH = /^ref: refs\/heads\/(\S+)\n$/;

/** The object id in `file` when it is a regular file holding exactly one; null otherwise. */
export function readOidFile(file: string): Promise<string | null> {
  return Promise.resolve(readOidFileSync(file));
}

function readOidFileSync(file: string): string | null {
  const text = readSmallFile(file, 128);
  return (text === null ? null : OID_LINE.exec(text)?.[1]) ?? null;
}

/** A branch's commit from its loose ref in the repository's common dir; null: ask git. */
export function readLooseBranch(commonDir: string, branch: string): Promise<string | null> {
  return Promise.resolve(readLooseBranchSync(commonDir, branch));
}

function readLooseBranchSync(commonDir: string, branch: string): string | null {
  const parts = branch.split('/');
  if (branch === '' || parts.some((p) => p === '' || p === '.' || p === '..')) return null;
  return readOidFileSync(path.join(commonDir, 'refs', 'heads', ...parts));
}

/** What the worktree's HEAD resolves to: a detached commit, or its branch's loose ref; null: ask git. */
export function readLooseHead(worktree: EngineWorktree): Promise<string | null> {
  const text = readSmallFile(path.join(worktree.gitDir, 'HEAD'), 1024);
  if (text === null) return Promise.resolve(null);
  const detached = OID_LINE.exec(text)?.[1];
  if (detached !== undefined) return Promise.resolve(detached);
  const branch = SYMBOLIC_BRANCH.exec(text)?.[1];
  return Promise.resolve(branch === undefined ? null : readLooseBranchSync(worktree.commonDir, branch));
}

/** The text of `file` when it is a regular file of at most `maxBytes`; null otherwise. */
function readSmallFile(file: string, maxBytes: number): string | null {
  try {
    const info = lstatSync(file);
    if (!info.isFile() || info.size > maxBytes) return null;
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
