// Everything about a user's checkout that the engine promises never to change (DESIGN §2.1), captured
// so a test can assert `expect(await snapshotCheckout(p)).toEqual(before)`. It reads only — through
// runGit, whose GIT_OPTIONAL_LOCKS=0 keeps even `status` from refreshing the index — so taking a
// snapshot does not itself disturb what it measures.
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../run-git';

export interface CheckoutSnapshot {
  head: { symbolic: string | null; oid: string | null };
  /** refs/heads/* and refs/tags/* → object id (minus `ignoreBranches`). */
  branches: Record<string, string>;
  tags: Record<string, string>;
  /** `ls-files --stage` lines: mode, blob, stage and path of every index entry. */
  index: string[];
  /** The raw index file; catches even a stat refresh. null when there is none. */
  indexFile: string | null;
  /** `status --porcelain=v1` records, untracked and ignored files included. */
  status: string[];
  /** Content hash of every path status lists (modified, untracked, ignored). */
  files: Record<string, string>;
  /** Stash entries, newest first: commit id and subject. */
  stash: string[];
  /** Hook file name → mode and content hash. */
  hooks: Record<string, string>;
  /** `config --local --list` entries. */
  config: string[];
  /** In-progress-operation and bookkeeping files of this worktree (MERGE_HEAD, ORIG_HEAD, …). */
  stateFiles: Record<string, string>;
}

export interface SnapshotOptions {
  /** Branches whose ref is allowed to move (the integration target, say); left out of `branches`. */
  ignoreBranches?: readonly string[];
}

const STATE_FILES = [
  'MERGE_HEAD',
  'ORIG_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'FETCH_HEAD',
  'BISECT_LOG',
  'AUTO_MERGE',
];
const STATE_DIRS = ['rebase-merge', 'rebase-apply'];

export async function snapshotCheckout(repoPath: string, options: SnapshotOptions = {}): Promise<CheckoutSnapshot> {
  const git = async (args: string[], okExitCodes = [0]) => (await runGit(repoPath, args, { okExitCodes })).stdout;
  const [gitDir = '', commonDir = ''] = (
    await git(['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir'])
  ).split('\n');

  const symbolic = (await git(['symbolic-ref', '-q', 'HEAD'], [0, 1])).trim();
  const oid = (await git(['rev-parse', '-q', '--verify', 'HEAD'], [0, 1])).trim();

  const ignored = new Set(
    (options.ignoreBranches ?? []).map((b) => (b.startsWith('refs/heads/') ? b : `refs/heads/${b}`)),
  );
  const branches: Record<string, string> = {};
  const tags: Record<string, string> = {};
  for (const line of (
    await git(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/', 'refs/tags/'])
  ).split('\n')) {
    const [objectId = '', ref = ''] = line.split(' ');
    if (ref.startsWith('refs/heads/') && !ignored.has(ref)) branches[ref] = objectId;
    if (ref.startsWith('refs/tags/')) tags[ref] = objectId;
  }

  const index = (await git(['ls-files', '--stage', '-z'])).split('\0').filter((l) => l !== '');
  const status = (
    await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignored=traditional', '--no-renames'])
  )
    .split('\0')
    .filter((l) => l !== '');
  const files: Record<string, string> = {};
  for (const record of status) {
    const file = record.slice(3);
    files[file] = await hashPath(path.join(repoPath, file));
  }

  const stashExists = (await git(['rev-parse', '-q', '--verify', 'refs/stash'], [0, 1])).trim() !== '';
  const stash = stashExists
    ? (await git(['log', '-g', '--format=%H %gs', 'refs/stash'])).split('\n').filter((l) => l !== '')
    : [];

  const hooks: Record<string, string> = {};
  const hooksDir = path.join(commonDir, 'hooks');
  for (const name of (await readdir(hooksDir).catch(() => [] as string[])).sort()) {
    const stats = await lstat(path.join(hooksDir, name));
    hooks[name] = `${stats.mode.toString(8)} ${await hashPath(path.join(hooksDir, name))}`;
  }

  const config = (await git(['config', '--local', '--list', '-z'], [0, 1])).split('\0').filter((l) => l !== '');

  const stateFiles: Record<string, string> = {};
  for (const name of [...STATE_FILES, ...STATE_DIRS]) {
    const p = path.join(gitDir, name);
    if ((await lstat(p).catch(() => null)) !== null) stateFiles[name] = await hashPath(p);
  }

  const indexFile = await readFile(path.join(gitDir, 'index')).then(sha256, () => null);

  return {
    head: { symbolic: symbolic === '' ? null : symbolic, oid: oid === '' ? null : oid },
    branches,
    tags,
    index,
    indexFile,
    status,
    files,
    stash,
    hooks,
    config,
    stateFiles,
  };
}

/** Content hash of a file, a symlink (its target) or a directory (recursively); `missing` if absent. */
async function hashPath(p: string): Promise<string> {
  const stats = await lstat(p).catch(() => null);
  if (stats === null) return 'missing';
  if (stats.isSymbolicLink()) return `link:${await readlink(p)}`;
  if (stats.isDirectory()) {
    const parts: string[] = [];
    for (const name of (await readdir(p)).sort()) parts.push(`${name}=${await hashPath(path.join(p, name))}`);
    return `dir:${sha256(Buffer.from(parts.join('\n')))}`;
  }
  return `${(stats.mode & 0o111) !== 0 ? 'x' : '-'}${sha256(await readFile(p))}`;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
