// Every path an edit names passes here before anything touches the disk (DESIGN §7 "Paths"). Two
// layers: a lexical one that needs no file system (absolute, `..`, backslashes, NUL, `.git`, protected
// globs), then a walk through the worktree that follows what is really on disk, so that a symlink —
// committed in the repository or written by an earlier edit of the same attempt — cannot carry a
// write outside the worktree or onto a protected file under an innocent name.
//
// Edits write regular files only and never create symlinks; `writeRegularFile` in ./safe-write is the
// writer that keeps that promise (O_NOFOLLOW), so what this guard saw is what gets written.
import { lstatSync, realpathSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { isCaseInsensitiveDir } from './case-sensitivity';
import { isWithin } from './path-within';
import { createProtectedMatcher } from './protected-matcher';
import type { PathMatcher } from './protected-matcher';

export interface PathGuardOptions {
  /** `safety.protected_paths`: globs (gitignore-like) the model may never edit. */
  protectedPaths: readonly string[];
  /** Case-folding file system; detected from the worktree when left out. */
  caseInsensitive?: boolean;
}

export type PathGuardResult = { ok: true; absolutePath: string; relPath: string } | { ok: false; reason: string };

export interface PathGuard {
  /** realpath of the worktree; every accepted absolutePath lies below it. */
  readonly root: string;
  readonly caseInsensitive: boolean;
  check(relPath: string): Promise<PathGuardResult>;
}

const MAX_PATH_CHARS = 4096;

/** Builds a guard for one worktree: resolves the root and detects case-folding once. */
export async function createPathGuard(worktreeRoot: string, options: PathGuardOptions): Promise<PathGuard> {
  const root = realpathSync(worktreeRoot);
  const caseInsensitive = options.caseInsensitive ?? (await isCaseInsensitiveDir(root));
  const isProtected = createProtectedMatcher(options.protectedPaths, { caseInsensitive });
  return {
    root,
    caseInsensitive,
    check: (relPath) => Promise.resolve(checkPath(root, relPath, isProtected)),
  };
}

/** One-shot form of `createPathGuard(...).check(relPath)`. */
export async function guardEditPath(
  worktreeRoot: string,
  relPath: string,
  options: PathGuardOptions,
): Promise<PathGuardResult> {
  let guard: PathGuard;
  try {
    guard = await createPathGuard(worktreeRoot, options);
  } catch (error) {
    return { ok: false, reason: `worktree ${worktreeRoot} is not usable: ${(error as Error).message}` };
  }
  return guard.check(relPath);
}

/**
 * The file-system-free part: returns the normalised repo-relative path ('/'-separated, no '.' or
 * empty segments) or why the path is refused.
 */
export function normaliseEditPath(relPath: string): { ok: true; relPath: string } | { ok: false; reason: string } {
  const refuse = (why: string) => ({ ok: false as const, reason: `path ${JSON.stringify(relPath)} ${why}` });
  if (typeof relPath !== 'string' || relPath.trim() === '') return refuse('is empty');
  if (relPath.length > MAX_PATH_CHARS) return refuse(`is longer than ${MAX_PATH_CHARS} characters`);
  if (relPath.includes('\0')) return refuse('contains a NUL byte');
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(relPath)) return refuse('contains a control character');
  if (relPath.includes('\\')) return refuse("contains a backslash; edit paths use '/' only");
  if (relPath.startsWith('/')) return refuse('is absolute; edit paths are relative to the repository root');
  if (/^[A-Za-z]:/.test(relPath)) return refuse('is a Windows drive path');
  if (relPath.endsWith('/')) return refuse('names a folder, not a file');
  const segments = relPath.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) return refuse('names the repository root, not a file');
  if (segments.includes('..')) return refuse("contains a '..' segment");
  if (segments[0] === '~') return refuse("starts with '~'; edit paths are relative to the repository root");
  if (segments.some(isGitDirName)) return refuse('is inside .git, which edits may never touch');
  return { ok: true, relPath: segments.join('/') };
}

/**
 * `.git` in any case, with what case-folding and Windows file systems ignore: trailing dots and
 * spaces, the 8.3 short name `git~1`, and the zero-width code points HFS+ drops (git's own
 * verify_path refuses the same set, on every platform, for the same reason).
 */
function isGitDirName(segment: string): boolean {
  const folded = segment
    .replace(/[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g, '')
    .replace(/[. ]+$/, '')
    .toLowerCase();
  return folded === '.git' || folded === 'git~1';
}

function checkPath(root: string, relPath: string, isProtected: PathMatcher): PathGuardResult {
  const lexical = normaliseEditPath(relPath);
  if (!lexical.ok) return lexical;
  const clean = lexical.relPath;
  const refuse = (why: string): PathGuardResult => ({ ok: false, reason: `path ${JSON.stringify(clean)} ${why}` });

  const protectedBy = isProtected(clean);
  if (protectedBy !== null) return refuse(`matches protected path pattern ${JSON.stringify(protectedBy)}`);

  const walked = walkInside(root, clean.split('/'));
  if (!walked.ok) return refuse(walked.reason);

  // A symlinked folder inside the worktree may lead onto .git or a protected file: judge the place
  // the write really lands as well as the name it was asked under.
  const landed = relative(root, walked.absolutePath).split(sep).join('/');
  if (landed !== clean) {
    if (landed.split('/').some(isGitDirName)) return refuse(`leads through a symlink into .git (${landed})`);
    const alsoProtected = isProtected(landed);
    if (alsoProtected !== null) {
      return refuse(
        `leads through a symlink to ${landed}, which matches protected path pattern ${JSON.stringify(alsoProtected)}`,
      );
    }
  }
  return { ok: true, absolutePath: walked.absolutePath, relPath: clean };
}

type Walk = { ok: true; absolutePath: string } | { ok: false; reason: string };

/**
 * Follows the path one segment at a time from the real root with lstat, resolving each symlinked
 * folder and requiring it to stay inside the root. The first segment that does not exist ends the
 * walk: everything after it will be created as ordinary folders by the writer. Synchronous: a few
 * lstat calls per edit, each cheaper than a thread-pool round trip.
 */
function walkInside(root: string, segments: string[]): Walk {
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    const isLast = i === segments.length - 1;
    const next = join(current, segment);
    const stat = lstatOrError(next);
    if (stat instanceof Error) {
      if (stat.code === 'ENOENT') return { ok: true, absolutePath: join(next, ...segments.slice(i + 1)) };
      return { ok: false, reason: `cannot be inspected: ${stat.code ?? stat.message}` };
    }
    if (stat.isSymbolicLink()) {
      const shown = relative(root, next).split(sep).join('/');
      if (isLast) {
        return { ok: false, reason: 'is a symlink; edits write regular files only and never write through a link' };
      }
      const target = realpathOrNull(next);
      if (target === null) return { ok: false, reason: `goes through ${shown}, a symlink whose target does not exist` };
      if (!isWithin(root, target))
        return { ok: false, reason: `goes through ${shown}, a symlink leading outside the worktree (to ${target})` };
      current = target;
      continue;
    }
    if (isLast && stat.isDirectory()) return { ok: false, reason: 'is an existing folder, not a file' };
    if (!isLast && !stat.isDirectory()) {
      return {
        ok: false,
        reason: `goes through ${relative(root, next).split(sep).join('/')}, which is a file, not a folder`,
      };
    }
    if (isLast && !stat.isFile()) return { ok: false, reason: 'is not a regular file (device, socket or pipe)' };
    current = next;
  }
  return { ok: true, absolutePath: current };
}

function lstatOrError(file: string): Stats | NodeJS.ErrnoException {
  try {
    return lstatSync(file);
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
}

function realpathOrNull(file: string): string | null {
  try {
    return realpathSync(file);
  } catch {
    return null;
  }
}
