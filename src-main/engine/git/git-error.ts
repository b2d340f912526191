// The one exception type of the git layer. Expected outcomes (a stale ref, a conflict, a dirty
// worktree) are values in return types; a GitError means git did something we did not plan for, so it
// carries everything a person needs to reproduce it: the exact argv, where it ran, the exit, stderr.
// Two kinds are told apart by type, because callers react to them differently: a command the policy
// refused (git never started) and a git that was stopped (silent past its timeout, or cancelled).
import { NocturnalError } from '../errors/nocturnal-error';

export interface GitErrorDetails {
  /** Arguments after `git`, exactly as spawned (including the `-c` safety overrides). */
  args: readonly string[];
  cwd: string;
  /** null when git never ran (spawn failure) or was killed by a signal. */
  exitCode: number | null;
  signal?: string | null;
  stderr: string;
  /** Overrides the generated message, for failures that are not a non-zero exit. */
  message?: string;
  cause?: unknown;
}

export class GitError extends NocturnalError {
  readonly args: readonly string[];
  readonly cwd: string;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;

  constructor(details: GitErrorDetails) {
    super(
      'runtime',
      details.message ?? describe(details),
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = 'GitError';
    this.args = details.args;
    this.cwd = details.cwd;
    this.exitCode = details.exitCode;
    this.signal = details.signal ?? null;
    this.stderr = details.stderr;
  }
}

function describe(details: GitErrorDetails): string {
  const command = `git ${commandPart(details.args).join(' ')}`;
  const exit = details.exitCode === null ? `signal ${details.signal ?? 'unknown'}` : `exit ${details.exitCode}`;
  const firstLine = details.stderr.trim().split('\n')[0] ?? '';
  return `${command} failed in ${details.cwd} (${exit})${firstLine === '' ? '' : `: ${firstLine}`}`;
}

/** The argv without the leading `-c key=value` overrides, which would drown the interesting part. */
function commandPart(args: readonly string[]): readonly string[] {
  let i = 0;
  while (args[i] === '-c' && i + 1 < args.length) i += 2;
  return args.slice(i);
}

/** A git command the command policy (or simple-git's own check) refused: git was never started. */
export class GitRefusedError extends GitError {
  readonly rule: string;
  readonly reason: string;

  constructor(details: { args: readonly string[]; cwd: string; rule: string; reason: string }) {
    super({
      args: details.args,
      cwd: details.cwd,
      exitCode: null,
      stderr: '',
      message: `refused by the command policy (${details.rule}): git ${details.args.join(' ')} — ${details.reason}`,
    });
    this.name = 'GitRefusedError';
    this.rule = details.rule;
    this.reason = details.reason;
  }
}

/** Why a running git was killed: it went silent past its timeout, or the caller's signal aborted it. */
export type GitStopReason = 'timeout' | 'abort';

export class GitStoppedError extends GitError {
  readonly reason: GitStopReason;

  constructor(details: GitErrorDetails & { reason: GitStopReason }) {
    super(details);
    this.name = 'GitStoppedError';
    this.reason = details.reason;
  }
}
