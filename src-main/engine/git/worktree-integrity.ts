// Is an attempt's worktree still wired the way the engine made it? Checks run model-written code with
// the worktree writable; a check that rewrote the `.git` file, planted a git dir or config, moved the
// attempt branch or staged files has tampered with what the engine's git relies on. Taken before each
// check run and compared after it. File reads come first; git itself is asked only when those show
// nothing wrong (and then pinned to the recorded git dir, for reads that run no filter or hook), and
// only where a file read cannot answer exactly: a check that left the index's bytes and the branch's
// loose ref alone costs no git process at all (issue 12: two reads per snapshot and per verify before).
import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runGit } from './run-git';
import type { GitCallOptions, RunGitOptions } from './run-git';
import { expectedDotGit } from './engine-worktree';
import { findNestedGit } from './nested-git-walk';
import { listOrEmpty, lstatOrNull, readTextOrNull } from './quiet-reads';
import { readLooseBranch, readOidFile } from './read-loose-ref';
import type { EngineWorktree } from './engine-worktree';

export interface WorktreeIntegritySnapshot {
  /** Files of the worktree's admin folder (index and logs aside) → type and content hash. */
  adminFiles: Record<string, string>;
  /** Repository files whose settings git would apply to the worktree → content hash (or absent). */
  repositoryFiles: Record<string, string>;
  /**
   * The index file's bytes. Unchanged bytes mean an unchanged `ls-files --stage` (what the next commit
   * would contain), with no git process; when they differ (a `git status` refreshing stat data also
   * rewrites them), git compares the listings of this copy and of the index now. null when the index
   * is not a regular file: `staged` holds the listing then.
   */
  index: Buffer | null;
  /** `ls-files --stage` digest, taken only when `index` could not be kept. */
  staged: string | null;
  /** The attempt branch's commit. */
  branchOid: string | null;
}

export type WorktreeIntegrity =
  | { kind: 'intact' }
  | { kind: 'tampered'; findings: string[] }
  /** The repository's git dir itself is gone (deleted or moved): not the check's doing to judge. */
  | { kind: 'repository-gone' };

// Git reads these from the common dir for every worktree: settings (filters, core.worktree), extra
// attributes, the per-worktree config switch.
const REPOSITORY_FILES = ['config', 'config.worktree', 'info/attributes', 'info/sparse-checkout'];
// Rewritten by git in the normal course of things (a stat refresh, a reflog line); their meaning is
// compared through `staged` and `branchOid` instead. HEAD and gitdir are compared with what they must
// say, not merely with what they said before.
const ADMIN_SKIPPED = new Set(['index', 'logs', 'HEAD', 'gitdir']);
// Between two attempts a pooled worktree's admin folder also holds what git's commit leaves there.
const POOL_SKIPPED = new Set([...ADMIN_SKIPPED, 'COMMIT_EDITMSG']);

export async function snapshotWorktreeIntegrity(
  worktree: EngineWorktree,
  call: GitCallOptions = {},
): Promise<WorktreeIntegritySnapshot> {
  // No walk for `.git` entries here: none can be there before a check (git never checks out a `.git`
  // path, the path guard refuses edits to one, the pool verified none on reuse, and a check run that
  // planted one failed as tampered), so the walk after the check counts every one it finds as planted.
  // One walk per check run instead of two, on a 10k-file tree tens of milliseconds.
  const adminFiles = hashTree(worktree.gitDir, ADMIN_SKIPPED);
  const repositoryFiles = repositoryHashes(worktree);
  const index = indexBytes(worktree);
  const staged = index === null ? await stagedDigest(worktree, call) : null;
  const branchOid = await branchOidOf(worktree, call);
  return { adminFiles, repositoryFiles, index, staged, branchOid };
}

export async function verifyWorktreeIntegrity(
  worktree: EngineWorktree,
  before: WorktreeIntegritySnapshot,
  call: GitCallOptions = {},
): Promise<WorktreeIntegrity> {
  if (lstatOrNull(worktree.commonDir) === null) return { kind: 'repository-gone' };
  const findings: string[] = [];
  findings.push(...dotGitFindings(worktree));
  const admin = hashTree(worktree.gitDir, ADMIN_SKIPPED);
  findings.push(...compare("in the worktree's admin folder", before.adminFiles, admin));
  const gitdir = readTextOrNull(path.join(worktree.gitDir, 'gitdir'));
  if (gitdir !== `${path.join(worktree.path, '.git')}\n`)
    findings.push("the admin folder's gitdir no longer names this worktree");
  const head = readTextOrNull(path.join(worktree.gitDir, 'HEAD'));
  if (head !== expectedHead(worktree))
    findings.push(
      worktree.detachedAt
        ? `HEAD no longer points at ${worktree.detachedAt}`
        : `HEAD no longer points at the attempt branch ${worktree.branch}`,
    );
  findings.push(...compare("in the repository's git dir", before.repositoryFiles, repositoryHashes(worktree)));
  for (const p of await findNestedGit(worktree.path)) findings.push(`a git dir or file was planted at ${p}`);
  if (findings.length > 0) return { kind: 'tampered', findings };

  // Only now, with the wiring known to be the engine's, is git asked (where a file read cannot answer).
  if ((await branchOidOf(worktree, call)) !== before.branchOid)
    findings.push(worktree.detachedAt ? 'HEAD was moved' : `the attempt branch ${worktree.branch} was moved`);
  if (await stagedChanged(worktree, before, call)) findings.push("files were staged in the worktree's index");
  return findings.length > 0 ? { kind: 'tampered', findings } : { kind: 'intact' };
}

/**
 * A pooled worktree as the engine made it: its admin folder and the repository files git would apply
 * to it, hashed right after `git worktree add`. Reuse compares against this, never against the state
 * the previous attempt left, so whatever an attempt planted is caught however that attempt ended.
 */
export interface PooledWorktreeSeal {
  adminFiles: Record<string, string>;
  repositoryFiles: Record<string, string>;
  /** The repository's hooks folder (hooks are off for the engine's git, but never reused blindly). */
  hooks: Record<string, string>;
}

export function sealPooledWorktree(worktree: EngineWorktree): Promise<PooledWorktreeSeal> {
  return Promise.resolve({
    adminFiles: hashTree(worktree.gitDir, POOL_SKIPPED),
    repositoryFiles: repositoryHashes(worktree),
    hooks: hashTree(path.join(worktree.commonDir, 'hooks'), new Set()),
  });
}

/**
 * Before a released worktree is handed to the next attempt: file reads only (no git runs in a
 * worktree that may have been tampered with). `worktree.detachedAt` is the commit it was released at.
 * Any finding means the worktree is discarded and removed, never reused.
 */
export async function verifyPooledWorktree(
  worktree: EngineWorktree,
  seal: PooledWorktreeSeal,
): Promise<WorktreeIntegrity> {
  if (lstatOrNull(worktree.commonDir) === null) return { kind: 'repository-gone' };
  const findings: string[] = [...dotGitFindings(worktree)];
  const gitdir = readTextOrNull(path.join(worktree.gitDir, 'gitdir'));
  if (gitdir !== `${path.join(worktree.path, '.git')}\n`)
    findings.push("the admin folder's gitdir no longer names this worktree");
  const head = readTextOrNull(path.join(worktree.gitDir, 'HEAD'));
  if (head !== expectedHead(worktree))
    findings.push(`HEAD no longer points at ${worktree.detachedAt ?? worktree.branch}`);
  findings.push(...compare("in the worktree's admin folder", seal.adminFiles, hashTree(worktree.gitDir, POOL_SKIPPED)));
  findings.push(...compare("in the repository's git dir", seal.repositoryFiles, repositoryHashes(worktree)));
  findings.push(
    ...compare("in the repository's hooks", seal.hooks, hashTree(path.join(worktree.commonDir, 'hooks'), new Set())),
  );
  for (const p of await findNestedGit(worktree.path)) findings.push(`a git dir or file was planted at ${p}`);
  return findings.length > 0 ? { kind: 'tampered', findings } : { kind: 'intact' };
}

/** What HEAD must say: the attempt branch, or the commit a detached worktree was made on. */
function expectedHead(worktree: EngineWorktree): string {
  return worktree.detachedAt ? `${worktree.detachedAt}\n` : `ref: refs/heads/${worktree.branch}\n`;
}

/** The finding, in words, for each way the `.git` file can differ from what git wrote. */
function dotGitFindings(worktree: EngineWorktree): string[] {
  const dotGit = path.join(worktree.path, '.git');
  const info = lstatOrNull(dotGit);
  if (info === null) return ['.git file removed'];
  if (info.isSymbolicLink()) return ['.git file replaced by a symlink'];
  if (info.isDirectory()) return ['.git file replaced by a directory'];
  if (!info.isFile()) return ['.git file replaced by something that is not a file'];
  return readTextOrNull(dotGit) === expectedDotGit(worktree) ? [] : ['.git file rewritten'];
}

/** Did the check change what the next commit would contain? */
async function stagedChanged(
  worktree: EngineWorktree,
  before: WorktreeIntegritySnapshot,
  call: GitCallOptions,
): Promise<boolean> {
  const now = indexBytes(worktree);
  if (before.index !== null && now !== null && before.index.equals(now)) return false;
  const was = before.staged ?? (before.index === null ? null : await stagedDigest(worktree, call, before.index));
  return was !== (await stagedDigest(worktree, call));
}

/** The worktree's index file as bytes; null when it is not a regular file (git is asked then). */
function indexBytes(worktree: EngineWorktree): Buffer | null {
  const file = path.join(worktree.gitDir, 'index');
  const info = lstatOrNull(file);
  if (info === null || !info.isFile()) return null;
  try {
    return readFileSync(file);
  } catch {
    return null;
  }
}

/** Pinned, but without the filter lookup: none of these commands converts file content. */
function pinnedReads(worktree: EngineWorktree, call: GitCallOptions): RunGitOptions {
  return {
    ...call,
    pinned: { gitDir: worktree.gitDir, commonDir: worktree.commonDir, workTree: worktree.path, config: [] },
  };
}

/** `ls-files --stage`, digested: of the index now, or of a copy of its earlier bytes. */
async function stagedDigest(worktree: EngineWorktree, call: GitCallOptions, copy?: Buffer): Promise<string> {
  if (copy === undefined) {
    return digest(
      (await runGit(worktree.path, ['ls-files', '--stage', '-z'], pinnedReads(worktree, call))).stdoutBytes,
    );
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'nocturnal-index-'));
  try {
    const file = path.join(dir, 'index');
    await writeFile(file, copy, { mode: 0o600 });
    const listed = await runGit(worktree.path, ['ls-files', '--stage', '-z'], {
      ...pinnedReads(worktree, call),
      env: { GIT_INDEX_FILE: file },
    });
    return digest(listed.stdoutBytes);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function branchOidOf(worktree: EngineWorktree, call: GitCallOptions): Promise<string | null> {
  // What git would answer, read from the ref file when that is exact (./read-loose-ref).
  const loose = worktree.detachedAt
    ? await readOidFile(path.join(worktree.gitDir, 'HEAD'))
    : await readLooseBranch(worktree.commonDir, worktree.branch);
  if (loose !== null) return loose;
  const ref = worktree.detachedAt ? 'HEAD' : `refs/heads/${worktree.branch}`;
  const branch = await runGit(worktree.path, ['rev-parse', '-q', '--verify', ref], {
    ...pinnedReads(worktree, call),
    okExitCodes: [0, 1],
  });
  return branch.exitCode === 0 ? branch.stdout.trim() : null;
}

function repositoryHashes(worktree: EngineWorktree): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const file of REPOSITORY_FILES) hashes[file] = hashEntry(path.join(worktree.commonDir, file));
  return hashes;
}

function compare(where: string, before: Record<string, string>, after: Record<string, string>): string[] {
  const findings: string[] = [];
  for (const [file, hash] of Object.entries(after)) {
    const was = before[file] ?? 'absent';
    if (was === hash) continue;
    findings.push(
      was === 'absent'
        ? `${file} was added ${where}`
        : hash === 'absent'
          ? `${file} was removed ${where}`
          : `${file} was changed ${where}`,
    );
  }
  for (const [file, hash] of Object.entries(before))
    if (!(file in after) && hash !== 'absent') findings.push(`${file} was removed ${where}`);
  return findings;
}

// The reads below are synchronous: a few dozen small files (an admin folder, four repository files,
// the hooks), each read awaited one after another through the thread pool cost a round trip apiece,
// tens of milliseconds per check run for well under one of work (issue 12).

/** Every entry under `root` (symlinks not followed) → `type:hash`, minus top-level `skipped` names. */
function hashTree(root: string, skipped: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, rel: string): void => {
    for (const entry of listOrEmpty(dir)) {
      const relative = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (rel === '' && skipped.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, relative);
      else out[relative] = hashEntry(full);
    }
  };
  walk(root, '');
  return out;
}

function hashEntry(file: string): string {
  const info = lstatOrNull(file);
  if (info === null) return 'absent';
  try {
    if (info.isSymbolicLink()) return `link:${readlinkSync(file)}`;
    if (info.isDirectory()) return 'dir';
    if (!info.isFile()) return 'special';
    return `file:${digest(readFileSync(file))}`;
  } catch (error) {
    // Gone between the lstat and the read; anything else (unreadable) differs from every content.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
