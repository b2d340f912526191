// A change between two commits as one git process: its per-file size (`--numstat -z`) and its unified
// diff (capped), which an attempt needs both of for the same base and head — the check stage and the
// scoring read the sizes, the review reads the text. `git diff --numstat -z -p` writes the numstat
// records, each ending in NUL, then one more NUL, then the patch; a path is never empty, so the first
// two NULs in a row are that boundary. Sizes past what is read (a numstat longer than the allowance)
// fall back to the two separate commands.
import { getDiffStats, parseNumstatZ, totalsOf } from './diff-stats';
import type { DiffStats } from './diff-stats';
import { getDiffText, DEFAULT_DIFF_MAX_BYTES, DIFF_OUTPUT_FLAGS } from './diff-text';
import type { DiffText } from './diff-text';
import { assertRevisionArgument } from './refs';
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

export interface DiffChange {
  stats: DiffStats;
  text: DiffText;
}

/** Room for the numstat part on top of the text's cap: ~50 bytes a file, for tens of thousands. */
const NUMSTAT_ALLOWANCE = 4 * 1024 * 1024;

export async function getDiffChange(
  repoPath: string,
  from: string,
  to: string,
  options: GitCallOptions & { maxBytes?: number } = {},
): Promise<DiffChange> {
  assertRevisionArgument(from, 'diff start');
  assertRevisionArgument(to, 'diff end');
  const maxBytes = options.maxBytes ?? DEFAULT_DIFF_MAX_BYTES;
  const call: GitCallOptions = { policy: options.policy, logger: options.logger, signal: options.signal };
  // The flags of diff-stats and diff-text together: explicit, so no user setting changes the output.
  const result = await runGit(
    repoPath,
    ['diff', '--numstat', '-z', '-p', ...DIFF_OUTPUT_FLAGS, '--unified=3', from, to, '--'],
    { ...call, maxStdoutBytes: NUMSTAT_ALLOWANCE + maxBytes + 1 },
  );
  const bytes = result.stdoutBytes;
  if (bytes.length === 0) return { stats: totalsOf([]), text: { text: '', truncated: false } };
  const boundary = bytes.indexOf('\0\0');
  if (boundary === -1) {
    // Cut before the patch began: ask for each on its own.
    const [stats, text] = [
      await getDiffStats(repoPath, from, to, call),
      await getDiffText(repoPath, from, to, { ...call, maxBytes }),
    ];
    return { stats, text };
  }
  const stats = totalsOf(parseNumstatZ(bytes.subarray(0, boundary + 1).toString('utf8')));
  const patch = bytes.subarray(boundary + 2);
  if (!result.truncated && patch.length <= maxBytes)
    return { stats, text: { text: patch.toString('utf8'), truncated: false } };
  const capped = patch.subarray(0, maxBytes);
  const lastNewline = capped.lastIndexOf(0x0a);
  const kept = lastNewline === -1 ? Buffer.alloc(0) : capped.subarray(0, lastNewline + 1);
  return { stats, text: { text: kept.toString('utf8'), truncated: true } };
}
