// Finds `.git` entries planted anywhere below a worktree's top (any case: case-insensitive file
// systems), links not followed. Walked after every check run and before a pooled worktree is reused:
// on a 10k-file tree each walk lists every folder, twice per attempt (issue 12).
//
// A folder's listing is kept between walks of the same worktree, keyed by what lstat says of the
// folder: device, inode, mtime and ctime. Adding, removing or renaming any entry in a folder moves
// its mtime and ctime to the current time, and nothing can set ctime back (utimes moves it too), so
// an unchanged key means unchanged entries and the folder is not listed again; its subfolders are
// still lstat-ed, each against its own key. Only folders whose ctime is well before the walk started
// are kept: a change in the same clock tick as the one the key recorded would leave the key as it
// was (the file system's timestamps are coarser than a nanosecond), and any change after the walk
// started is stamped later than a kept key. Folders holding a `.git` are never kept: it is reported
// on every walk. The folder is lstat-ed before it is listed, so a change between the two moves the
// key the listing is kept under.
import { listOrEmpty, lstatBigOrNull } from './quiet-reads';
import path from 'node:path';

/** How old a folder's ctime must be when the walk starts for its listing to be kept. */
const SETTLED_MS = 3000;
/**
 * Folders visited between two turns of the event loop. The walk is synchronous within a turn: one
 * lstat (and, for a changed folder, one listing) per folder takes microseconds, where awaiting each
 * through the thread pool cost a round trip per folder (a 10k-file tree's walk took ~20 ms of waiting
 * for ~1 ms of work); a turn of this many stays far below a millisecond-scale stall.
 */
const FOLDERS_PER_TURN = 256;
/** Worktrees whose listings are kept (a pool of a few per workspace). */
const MAX_WORKTREES = 16;

interface KeptFolder {
  key: string;
  /** Names of the subfolders (real folders, not links) as listed. */
  folders: readonly string[];
}

/** Per worktree root: relative folder path ('' for the top) → its kept listing. */
const kept = new Map<string, Map<string, KeptFolder>>();

/** Counters for tests: folders listed and folders served from a kept listing, since the process started. */
export const nestedGitWalkStats = { listed: 0, reused: 0 };

/** `settledMs`: how old a folder's ctime must be to keep its listing (tests shorten it). */
export async function findNestedGit(root: string, settledMs = SETTLED_MS): Promise<string[]> {
  // Folders changed after this instant are listed again on the next walk.
  const settledBefore = Date.now() - settledMs;
  const before = kept.get(root);
  const now = new Map<string, KeptFolder>();
  const found: string[] = [];
  const folders: string[] = [''];
  for (let i = 0; i < folders.length; i++) {
    const rel = folders[i] ?? '';
    for (const name of visit(root, rel, before, now, found, settledBefore))
      folders.push(rel === '' ? name : `${rel}/${name}`);
    if ((i + 1) % FOLDERS_PER_TURN === 0) await new Promise((resume) => setImmediate(resume));
  }
  kept.delete(root);
  kept.set(root, now);
  for (const oldest of kept.keys()) {
    if (kept.size <= MAX_WORKTREES) break;
    kept.delete(oldest);
  }
  return found.sort();
}

/** The subfolders of `rel` to walk next; `.git` entries in it go to `found`. */
function visit(
  root: string,
  rel: string,
  before: Map<string, KeptFolder> | undefined,
  now: Map<string, KeptFolder>,
  found: string[],
  settledBefore: number,
): readonly string[] {
  const dir = path.join(root, rel);
  // The top is always listed (few entries; its `.git` file is the engine's own and is not reported).
  const info = rel === '' ? null : lstatBigOrNull(dir);
  // Gone, or no longer a folder (a link put in its place is not followed): nothing below to walk.
  if (rel !== '' && (info === null || !info.isDirectory())) return [];
  const key = info === null ? '' : `${info.dev}:${info.ino}:${info.mtimeNs}:${info.ctimeNs}`;
  const settled = info !== null && info.ctimeNs / 1_000_000n < BigInt(settledBefore);
  const previous = before?.get(rel);
  if (settled && previous?.key === key) {
    nestedGitWalkStats.reused++;
    now.set(rel, previous);
    return previous.folders;
  }
  nestedGitWalkStats.listed++;
  const folders: string[] = [];
  let planted = false;
  for (const entry of listOrEmpty(dir)) {
    if (entry.name.toLowerCase() === '.git') {
      if (rel !== '') {
        found.push(`${rel}/${entry.name}`);
        planted = true;
      }
      continue;
    }
    if (entry.isDirectory()) folders.push(entry.name);
  }
  if (settled && !planted) now.set(rel, { key, folders });
  return folders;
}
