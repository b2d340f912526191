// Size of a change between two commits, per file and in total — the scope and limit checks (files
// changed, lines changed, binary files) read this.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

export interface FileDiffStat {
  path: string;
  /** Set when git detected a rename; `path` is the new name. */
  oldPath: string | null;
  insertions: number;
  deletions: number;
  /** Binary files have no line counts (both 0 here). */
  binary: boolean;
}

/** Per file, and totals over all files (the number of files changed is `files.length`). */
export interface DiffStats {
  files: FileDiffStat[];
  insertions: number;
  deletions: number;
  binaryFiles: number;
}

export async function getDiffStats(
  repoPath: string,
  from: string,
  to: string,
  opts: GitCallOptions = {},
): Promise<DiffStats> {
  assertRevisionArgument(from, 'diff start');
  assertRevisionArgument(to, 'diff end');
  // Explicit flags override user config that would change the output (external diff, textconv
  // programs, relative paths) — parsing must not depend on someone's ~/.gitconfig.
  const { stdout } = await runGit(
    repoPath,
    ['diff', '--numstat', '-z', '--find-renames', '--no-ext-diff', '--no-textconv', '--no-relative', from, to, '--'],
    opts,
  );
  return totalsOf(parseNumstatZ(stdout));
}

/** The files with their totals. */
export function totalsOf(files: FileDiffStat[]): DiffStats {
  const stats: DiffStats = { files, insertions: 0, deletions: 0, binaryFiles: 0 };
  for (const file of files) {
    stats.insertions += file.insertions;
    stats.deletions += file.deletions;
    if (file.binary) stats.binaryFiles += 1;
  }
  return stats;
}

/**
 * `--numstat -z`: `ADDED\tDELETED\tPATH\0`, or for a rename `ADDED\tDELETED\t\0OLD\0NEW\0`;
 * binary files show `-` for both counts.
 */
export function parseNumstatZ(output: string): FileDiffStat[] {
  const tokens = output.split('\0');
  const files: FileDiffStat[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === undefined || token === '') continue;
    const match = /^(-|\d+)\t(-|\d+)\t(.*)$/s.exec(token);
    if (!match) continue;
    const [, added = '-', deleted = '-', inlinePath = ''] = match;
    let filePath = inlinePath;
    let oldPath: string | null = null;
    if (inlinePath === '') {
      oldPath = tokens[i + 1] ?? '';
      filePath = tokens[i + 2] ?? '';
      i += 2;
    }
    const binary = added === '-' && deleted === '-';
    files.push({
      path: filePath,
      oldPath,
      insertions: binary ? 0 : Number(added),
      deletions: binary ? 0 : Number(deleted),
      binary,
    });
  }
  return files;
}
