// An attempt's worktree as the engine recorded it when it created it: the paths of its git dir
// (`<common dir>/worktrees/<id>`) and of the repository's common dir. Every git command the engine runs
// on the worktree names these explicitly (`--git-dir`, `--work-tree`, GIT_COMMON_DIR) instead of letting
// git discover them from the worktree's `.git` file: checks run model-written code with the worktree
// writable, and a `.git` file rewritten to point at the user's repository, or at a planted git dir
// whose config defines a filter, would otherwise steer the engine's own, unsandboxed git.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { runGit } from './run-git';
import type { GitCallOptions, PinnedRepository, RunGitOptions } from './run-git';

export interface EngineWorktree {
  /** The user's repository the worktree belongs to (where `git worktree add` ran). */
  repoPath: string;
  /** Canonical path of the worktree. */
  path: string;
  /** The worktree's own git dir (index, HEAD), inside the common dir. */
  gitDir: string;
  /** The repository's git dir: refs, objects, config. */
  commonDir: string;
  /** Short name of the attempt branch checked out there (empty for a detached worktree). */
  branch: string;
  /** Set for a worktree on a commit with no branch (the baseline run): HEAD must stay this commit. */
  detachedAt?: string;
}

/** The exact `.git` file git wrote when it created the worktree. */
export function expectedDotGit(worktree: EngineWorktree): string {
  return `gitdir: ${worktree.gitDir}\n`;
}

/**
 * Call options that pin git to the worktree's recorded directories, with every filter driver the
 * repository's configuration defines switched off (`filter.<name>.clean=` and friends): a check can
 * write a `.gitattributes` that selects a driver for any file, and `git status` or `git add` would then
 * run it outside the sandbox. Current for each operation, so a driver added later is covered too: git
 * is asked again whenever the configuration files it reads differ in content from when it was last
 * asked (see filterListKey); otherwise the list it gave then still holds, and no process is spawned.
 */
export async function pinnedGit(worktree: EngineWorktree, call: GitCallOptions): Promise<RunGitOptions> {
  const base: PinnedRepository = {
    gitDir: worktree.gitDir,
    commonDir: worktree.commonDir,
    workTree: worktree.path,
    config: [],
  };
  const key = filterListKey(worktree);
  const known = key === null ? undefined : filterLists.get(worktree.gitDir);
  if (known !== undefined && known.key === key) return { ...call, pinned: { ...base, config: known.config } };
  const listed = await runGit(worktree.path, ['config', '--name-only', '-z', '--get-regexp', '^filter\\.'], {
    ...call,
    pinned: base,
    okExitCodes: [0, 1],
  });
  const config = neutralisedFilters(listed.stdout.split('\0'));
  // Remembered only when the files did not change while git read them.
  if (key !== null && filterListKey(worktree) === key) remember(worktree.gitDir, { key, config });
  return { ...call, pinned: { ...base, config } };
}

// The filter list git last gave per worktree git dir, with the content key it was read under. Bounded:
// a session has a few pooled worktrees per workspace; older entries are simply asked again.
const filterLists = new Map<string, { key: string; config: readonly string[] }>();
const MAX_FILTER_LISTS = 64;

function remember(gitDir: string, entry: { key: string; config: readonly string[] }): void {
  filterLists.delete(gitDir);
  filterLists.set(gitDir, entry);
  for (const oldest of filterLists.keys()) {
    if (filterLists.size <= MAX_FILTER_LISTS) break;
    filterLists.delete(oldest);
  }
}

/**
 * Every file the engine's git reads configuration from for this worktree, by content: the repository's
 * `config` and `config.worktree` and the worktree's own `config.worktree` (system and global
 * configuration are off, ./git-environment). null — always ask git — when any of them includes another
 * file (`[include]`, `[includeIf …]`), whose content this key would not cover.
 */
function filterListKey(worktree: EngineWorktree): string | null {
  const hash = createHash('sha256');
  for (const file of [
    path.join(worktree.commonDir, 'config'),
    path.join(worktree.commonDir, 'config.worktree'),
    path.join(worktree.gitDir, 'config.worktree'),
  ]) {
    let text: string | null;
    try {
      // Synchronous: small files read before every commit and status; a round trip cost more.
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null;
      text = null;
    }
    if (text !== null && INCLUDE_SECTION.test(text)) return null;
    hash.update(text === null ? 'absent\0' : `${Buffer.byteLength(text)}\0${text}\0`);
  }
  return hash.digest('hex');
}

// Section names are case-insensitive in git; `[include]` and `[includeIf "…"]` both start this way.
// Matched anywhere, not only at a line's start: a false match only means git is asked every time.
const INCLUDE_SECTION = /\[\s*include/i;

/**
 * Call options pinned to the worktree's recorded directories without the filter lookup: only for git
 * commands that never convert file content (`ls-files` without `-m`, `rev-parse`, `ls-tree`), so no
 * filter driver can run whatever the configuration says. One git process fewer than pinnedGit.
 */
export function pinnedReadOnly(worktree: EngineWorktree, call: GitCallOptions): RunGitOptions {
  return {
    ...call,
    pinned: { gitDir: worktree.gitDir, commonDir: worktree.commonDir, workTree: worktree.path, config: [] },
  };
}

const FILTER_KEY = /^filter\.(.+)\.([^.]+)$/;

/** `-c` overrides that disable every filter named in `keys` (`filter.<name>.<setting>` names). */
export function neutralisedFilters(keys: readonly string[]): string[] {
  const names = new Set<string>();
  for (const key of keys) {
    const match = FILTER_KEY.exec(key.trim());
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  const config: string[] = [];
  for (const name of [...names].sort()) {
    // A name git could not take back through `-c name=value` is refused rather than left running.
    if (name.includes('=') || /[\n\r\0]/.test(name))
      throw new Error(
        `the repository configures a filter whose name cannot be overridden safely: ${JSON.stringify(name)}`,
      );
    config.push(
      '-c',
      `filter.${name}.clean=`,
      '-c',
      `filter.${name}.smudge=`,
      '-c',
      `filter.${name}.process=`,
      '-c',
      `filter.${name}.required=false`,
    );
  }
  return config;
}
