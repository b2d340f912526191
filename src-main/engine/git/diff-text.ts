// The unified diff between two commits, for prompts, reviews and the morning report. Capped, because a
// runaway change must not blow a prompt's token budget or the report window; git is stopped once the
// cap is reached rather than producing the whole thing first.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';
import { assertRevisionArgument } from './refs';

export interface DiffTextOptions extends GitCallOptions {
  /** Largest number of bytes returned (default 256 KiB). */
  maxBytes?: number;
  /** Lines of context around each hunk (default 3). */
  contextLines?: number;
  /** Limit the diff to these repository-relative paths. */
  paths?: readonly string[];
}

export interface DiffText {
  text: string;
  /** The diff was longer than `maxBytes`; `text` ends at the last whole line that fit. */
  truncated: boolean;
}

export const DEFAULT_DIFF_MAX_BYTES = 256 * 1024;

/** The flags that pin the diff's output: explicit, so no user setting (colour, external diff, textconv, prefixes) changes it. */
export const DIFF_OUTPUT_FLAGS = [
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--no-relative',
  '--find-renames',
  '--src-prefix=a/',
  '--dst-prefix=b/',
] as const;

export async function getDiffText(
  repoPath: string,
  from: string,
  to: string,
  options: DiffTextOptions = {},
): Promise<DiffText> {
  assertRevisionArgument(from, 'diff start');
  assertRevisionArgument(to, 'diff end');
  const maxBytes = options.maxBytes ?? DEFAULT_DIFF_MAX_BYTES;
  const args = [
    'diff',
    ...DIFF_OUTPUT_FLAGS,
    `--unified=${options.contextLines ?? 3}`,
    from,
    to,
    '--',
    ...(options.paths ?? []),
  ];
  const result = await runGit(repoPath, args, {
    policy: options.policy,
    logger: options.logger,
    // One byte more than allowed tells "exactly maxBytes" apart from "longer".
    maxStdoutBytes: maxBytes + 1,
    // Paths are file names, not patterns: `*` in one must not widen the diff.
    env: { GIT_LITERAL_PATHSPECS: '1' },
  });
  if (!result.truncated && Buffer.byteLength(result.stdout, 'utf8') <= maxBytes) {
    return { text: result.stdout, truncated: false };
  }
  const bytes = Buffer.from(result.stdout, 'utf8').subarray(0, maxBytes);
  const lastNewline = bytes.lastIndexOf(0x0a);
  const kept = lastNewline === -1 ? Buffer.alloc(0) : bytes.subarray(0, lastNewline + 1);
  return { text: kept.toString('utf8'), truncated: true };
}
