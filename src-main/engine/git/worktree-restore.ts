// Puts an engine worktree back to its HEAD commit after the checks ran in it: checks execute
// model-written code with the worktree writable, so whatever they created, changed or replaced must
// not leak into the next edit or commit. Done with file operations only — the command policy refuses
// `reset --hard`, `checkout --` and `clean` everywhere — and only in a worktree under the engine's root.
// Untracked entries go first (a symlink a check put where a folder was must not redirect a restore),
// then each tracked path is rewritten from its HEAD blob with the symlink-proof writer.
import { chmod, lstat, mkdir, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { writeRegularFile } from '../safety/safe-write';
import { isWithin } from '../safety/path-within';
import { NocturnalError } from '../errors/nocturnal-error';
import { callOptions, runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertOwnedPath, canonicalPath } from './owned-path';
import { pinnedGit } from './engine-worktree';
import type { EngineWorktree } from './engine-worktree';

export interface RestoreWorktreeParams extends GitCallOptions {
  /** The worktree as recorded at creation; git is pinned to its git dir, never led by its `.git` file. */
  worktree: EngineWorktree;
  ownedRoot: string;
}

export interface RestoreWorktreeResult {
  removed: string[];
  restored: string[];
}

export async function restoreWorktreeToHead(params: RestoreWorktreeParams): Promise<RestoreWorktreeResult> {
  await assertOwnedPath(params.worktree.path, params.ownedRoot, 'worktree');
  const root = await canonicalPath(params.worktree.path);
  const call = await pinnedGit(params.worktree, callOptions(params));
  // Submodules ignored: a `.git` a check planted in a submodule folder must not lead git into it.
  const status = await runGit(
    root,
    ['status', '--porcelain=v1', '-z', '--untracked-files=normal', '--no-renames', '--ignore-submodules=all'],
    call,
  );
  const entries = status.stdout
    .split('\0')
    .filter((e) => e.length > 3)
    .map((e) => ({ code: e.slice(0, 2), file: e.slice(3) }));
  const removed: string[] = [];
  const restored: string[] = [];

  for (const entry of entries.filter((e) => e.code === '??')) {
    await rm(inside(root, entry.file), { recursive: true, force: true });
    removed.push(entry.file);
  }
  for (const entry of entries.filter((e) => e.code !== '??')) {
    const target = inside(root, entry.file);
    const tree = await runGit(root, ['ls-tree', '-z', 'HEAD', '--', entry.file], {
      ...call,
      env: { GIT_LITERAL_PATHSPECS: '1' },
    });
    const match = /^(\d{6}) (\w+) ([0-9a-f]+)\t/.exec(tree.stdout);
    await rm(target, { recursive: true, force: true });
    if (!match) {
      removed.push(entry.file);
      continue;
    }
    const [, mode, type, oid] = match;
    if (type !== 'blob' || !oid) continue; // submodules are left as they are
    await ensureRealParents(root, entry.file);
    const blob = await runGit(root, ['cat-file', 'blob', oid], call);
    if (mode === '120000') await symlink(blob.stdout, target);
    else {
      await writeRegularFile(target, blob.stdoutBytes);
      await chmod(target, mode === '100755' ? 0o755 : 0o644);
    }
    restored.push(entry.file);
  }
  return { removed, restored };
}

function inside(root: string, file: string): string {
  const target = path.resolve(root, file);
  if (!isWithin(root, target) || target === root)
    throw new NocturnalError('runtime', `git reported a path outside the worktree: ${file}`);
  return target;
}

/** Every parent folder must be a real folder inside the worktree, never a link a check left there. */
async function ensureRealParents(root: string, file: string): Promise<void> {
  let current = root;
  for (const part of path
    .dirname(file)
    .split('/')
    .filter((p) => p !== '' && p !== '.')) {
    current = path.join(current, part);
    const stat = await lstat(current).catch(() => null);
    if (stat === null) await mkdir(current);
    else if (!stat.isDirectory()) {
      await rm(current, { force: true });
      await mkdir(current);
    }
  }
}
