// Every git process the engine starts goes through `runGit`, and `runGit` starts it through simple-git.
// That single choke point is what lets us promise DESIGN §2 principle 1: the command policy judges the
// exact argv before anything starts, hooks never run (model-written code must not trigger the user's
// hooks), no prompt or hung git can stall a night run (simple-git's timeout plugin kills a git that
// stays silent), a caller's AbortSignal stops it (simple-git's abort plugin), output is in a parseable
// locale, and commits get a fixed identity even on machines without one (./git-environment).
import type * as SimpleGitModule from 'simple-git';
import type { SimpleGitOptions } from 'simple-git';
import type { Logger } from '../log/logger';
import { takeForkTurn } from '../loop/fork-turn';
import { GitError, GitRefusedError, GitStoppedError } from './git-error';
import { SAFETY_CONFIG, gitEnvironment } from './git-environment';

export { AGENT_EMAIL, AGENT_NAME, CONTROLLED_CONFIG_ENV, SAFETY_CONFIG, gitEnvironment } from './git-environment';

/** What a policy answers for a command it refuses. */
export interface GitPolicyRefusal {
  rule: string;
  reason: string;
}

/**
 * Called with the full argv (`['git', ...]`) exactly as it will be spawned, before anything starts.
 * A refusal (or a throw) stops the command; git is never started.
 */
// `void` too, so an observing function (`(argv) => void seen.push(argv)`) is a policy that allows all.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type GitCommandPolicy = (argv: readonly string[]) => GitPolicyRefusal | null | undefined | void;

/** What every git operation of this layer accepts and hands down to `runGit`. */
export interface GitCallOptions {
  policy?: GitCommandPolicy;
  logger?: Logger;
  /** Aborting kills the running git (simple-git's abort plugin) and refuses to start any more. */
  signal?: AbortSignal;
}

/** Just the call options out of a larger params object, so no other field can leak into runGit. */
export function callOptions(source: GitCallOptions): GitCallOptions {
  return { policy: source.policy, logger: source.logger, signal: source.signal };
}

export interface RunGitOptions extends GitCallOptions {
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  /** Stop reading stdout after this many bytes and let git end; the result says `truncated`. */
  maxStdoutBytes?: number;
  /** Extra environment on top of the sanitized one. */
  env?: Readonly<Record<string, string>>;
  /**
   * Kill git when it has written nothing for this long (simple-git's `timeout: { block }`: the clock
   * restarts on every output, so a long command that makes progress is not cut). Default
   * `GIT_SILENCE_TIMEOUT_MS`.
   */
  timeoutMs?: number;
  /**
   * Pins git to a git dir and work tree the engine recorded itself (an attempt's worktree), so nothing
   * is discovered from the directory — a `.git` file a check rewrote is never read. See engine-worktree.
   */
  pinned?: PinnedRepository;
  /**
   * Keep the user's system and global git configuration. Only for the one write the engine makes in
   * the user's own checkout (a clean fast-forward), which must behave like the user's git (their
   * filters, e.g. Git LFS, included). Everything else runs on configuration the engine controls.
   */
  userConfig?: boolean;
}

/** An explicit git dir, common dir and work tree, plus `-c` settings that go with them. */
export interface PinnedRepository {
  gitDir: string;
  commonDir: string;
  workTree: string;
  /** More `-c key=value` overrides (the engine neutralises every filter driver this way). */
  config: readonly string[];
}

export interface GitResult {
  stdout: string;
  /** The same output as bytes, for blobs that need not be UTF-8. */
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
  truncated: boolean;
}

/**
 * A git that writes nothing for ten minutes is waiting on something that will not come (a lock held by
 * a dead process, a prompt, a network share): long enough for a checkout of a very large repository.
 */
export const GIT_SILENCE_TIMEOUT_MS = 10 * 60_000;

/**
 * simple-git's own argv check (its `blockUnsafeOperationsPlugin`) stays on as a second gate behind the
 * command policy; only the categories the engine's own safety settings trip are opened, each because
 * the engine sets that value to switch the feature off:
 * - HooksPath: `-c core.hooksPath=/dev/null` (no hook can run);
 * - FsMonitor: `-c core.fsmonitor=false`;
 * - Pager: `-c core.pager=cat`, `GIT_PAGER=cat`;
 * - Filter: `-c filter.<name>.clean=` and friends, which disable the repository's filter drivers on
 *   engine worktrees (a `-c filter…=<program>` that would run something is refused by the policy);
 * - ConfigPaths: `GIT_CONFIG_GLOBAL=/dev/null` (no global config), and a `GIT_EXEC_PATH` the user set;
 * - AskPass: `GIT_ASKPASS=` and `SSH_ASKPASS=` emptied (no credential prompt);
 * - Editor: `GIT_EDITOR=:` (no editor).
 * Everything else simple-git guards (aliases, protocols, ssh commands, credential helpers, merge and diff
 * drivers, gpg programs, template dirs, `--upload-pack`) stays refused.
 */
const ENGINE_UNSAFE_FLAGS: NonNullable<SimpleGitOptions['unsafe']> = {
  allowUnsafeHooksPath: true,
  allowUnsafeFsMonitor: true,
  allowUnsafePager: true,
  allowUnsafeFilter: true,
  allowUnsafeConfigPaths: true,
  allowUnsafeAskPass: true,
  allowUnsafeEditor: true,
};

/** Observes every git process simple-git starts for the engine (tests use it to prove the route). */
export type SpawnObserver = (args: readonly string[]) => void;
const spawnObservers = new Set<SpawnObserver>();

/** Registers an observer of every spawned argv; returns the function that removes it. */
export function observeGitSpawns(observer: SpawnObserver): () => void {
  spawnObservers.add(observer);
  return () => spawnObservers.delete(observer);
}

const STDERR_CAP = 1024 * 1024;

// simple-git (with its `debug` and argv parser) is loaded by the first git call, not with this module:
// the CLI's read commands (`status`, `task list`) start no git and so never pay its ~25 ms load.
let simpleGitModule: Promise<typeof SimpleGitModule> | undefined;
const loadSimpleGit = () => (simpleGitModule ??= import('simple-git'));

export async function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const pin = options.pinned;
  const settings = [...SAFETY_CONFIG, ...(pin?.config ?? [])];
  const commands = [...(pin ? [`--git-dir=${pin.gitDir}`, `--work-tree=${pin.workTree}`] : []), ...args];
  // Exactly what simple-git spawns: its config plugin puts each setting behind a `-c` ahead of the commands.
  const fullArgs = [...settings, ...commands];
  const refusal = options.policy?.(['git', ...fullArgs]);
  if (refusal) throw new GitRefusedError({ args: fullArgs, cwd, rule: refusal.rule, reason: refusal.reason });
  const started = Date.now();
  const result = await spawnThroughSimpleGit(cwd, settingValues(settings), commands, fullArgs, options);
  options.logger?.debug({ cwd, args, exitCode: result.exitCode, ms: Date.now() - started }, 'git');
  const ok = options.okExitCodes ?? [0];
  if (!result.truncated && (result.exitCode === null || !ok.includes(result.exitCode))) {
    throw new GitError({ args: fullArgs, cwd, exitCode: result.exitCode, stderr: result.stderr });
  }
  return {
    stdout: result.stdout,
    stdoutBytes: result.stdoutBytes,
    stderr: result.stderr,
    exitCode: result.exitCode ?? -1,
    truncated: result.truncated,
  };
}

/** `['-c', 'a=b', '-c', 'c=d']` → `['a=b', 'c=d']`, the shape of simple-git's `config` option. */
function settingValues(settings: readonly string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i < settings.length; i += 2) {
    const value = settings[i + 1];
    if (settings[i] !== '-c' || value === undefined)
      throw new Error(`git settings must be "-c key=value" pairs, got ${JSON.stringify(settings)}`);
    values.push(value);
  }
  return values;
}

interface RawResult {
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  /** null when git was killed by a signal. */
  exitCode: number | null;
  truncated: boolean;
}

/** What simple-git's error plugin saw when the process ended: the raw streams and the exit. */
interface Ending {
  exitCode: number | null;
  stdout: Buffer[];
  stderr: Buffer[];
  error: Error | undefined;
}

async function spawnThroughSimpleGit(
  cwd: string,
  config: string[],
  commands: string[],
  fullArgs: readonly string[],
  options: RunGitOptions,
): Promise<RawResult> {
  const { GitConstructError, GitPluginError, simpleGit } = await loadSimpleGit();
  const fail = (message: string, cause?: unknown) =>
    new GitError({ args: fullArgs, cwd, exitCode: null, stderr: '', message, cause });
  let ending: Ending | null = null;
  let truncated = false;
  let git;
  try {
    git = simpleGit({
      baseDir: cwd,
      config,
      trimmed: false,
      maxConcurrentProcesses: 1,
      // Wait for `close` (every byte of stdout read), never for `exit` plus a guess of 50 ms.
      completion: { onClose: true, onExit: false },
      timeout: { block: options.timeoutMs ?? GIT_SILENCE_TIMEOUT_MS },
      ...(options.signal ? { abort: options.signal } : {}),
      unsafe: ENGINE_UNSAFE_FLAGS,
      // The exit code is judged here by `okExitCodes`, not by simple-git: record, and let the task end.
      errors: (error, result) => {
        ending = {
          exitCode: exitCodeOf(result.exitCode),
          stdout: result.stdOut,
          stderr: result.stdErr,
          error: error instanceof Error ? error : undefined,
        };
        return undefined;
      },
    });
  } catch (cause) {
    // simple-git checks the directory before anything runs; a missing one is the usual reason.
    const why =
      cause instanceof GitConstructError ? `the directory ${cwd} does not exist (deleted or moved?)` : String(cause);
    throw fail(`could not run git ${commands.join(' ')} in ${cwd}: ${why}`, cause);
  }
  git.env(spawnEnvironment(options));
  git.outputHandler((_command, stdout, stderr, spawnedArgs) => {
    for (const observer of spawnObservers) observer(spawnedArgs);
    // simple-git's completion plugin waits a fixed 50 ms more after a process that wrote nothing (a
    // guard for runtimes that report `close` before the last output). We wait for `close` anyway
    // (completion.onClose above), so one empty chunk on stderr, once its plugins listen (next tick),
    // tells it output was seen: a silent git (update-ref, read-tree, add, commit --quiet …) would
    // otherwise cost 50 ms each, a large share of an attempt's bookkeeping. The chunk adds no bytes.
    process.nextTick(() => stderr.emit('data', Buffer.alloc(0)));
    const cap = options.maxStdoutBytes;
    if (cap === undefined) return;
    let seen = 0;
    stdout.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen <= cap || truncated) return;
      truncated = true;
      // We have what we asked for; closing our end makes git stop at its next write.
      (stdout as NodeJS.ReadableStream & { destroy(): void }).destroy();
    });
  });
  try {
    // One fork per turn of the event loop, engine-wide (../loop/fork-turn); simple-git spawns within
    // this turn, after promise continuations only.
    await takeForkTurn();
    await git.raw(commands);
  } catch (cause) {
    throw refusalOrFailure(cause, GitPluginError, cwd, fullArgs, commands);
  }
  const end = ending as Ending | null;
  if (end === null) throw fail(`git ${commands.join(' ')} ended in ${cwd} without simple-git reporting its exit`);
  const stop =
    end.error instanceof GitPluginError && (end.error.plugin === 'timeout' || end.error.plugin === 'abort')
      ? end.error.plugin
      : null;
  const stderr = capped(end.stderr).toString('utf8');
  if (stop !== null) {
    const what =
      stop === 'timeout'
        ? `stopped after ${options.timeoutMs ?? GIT_SILENCE_TIMEOUT_MS} ms without output`
        : 'stopped: the caller aborted it';
    throw new GitStoppedError({
      args: fullArgs,
      cwd,
      exitCode: null,
      signal: 'SIGINT',
      stderr,
      reason: stop,
      message: `git ${commands.join(' ')} in ${cwd} ${what}`,
    });
  }
  if (end.exitCode !== null && end.exitCode < 0) {
    // A negative code is the errno of a spawn that failed (simple-git puts the error in stderr).
    throw fail(`could not run git ${commands.join(' ')} in ${cwd}: ${stderr.split('\n')[0] ?? ''}`);
  }
  let stdoutBytes = Buffer.concat(end.stdout);
  if (options.maxStdoutBytes !== undefined && stdoutBytes.length > options.maxStdoutBytes) {
    stdoutBytes = stdoutBytes.subarray(0, options.maxStdoutBytes);
    truncated = true;
  }
  return { stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr, exitCode: end.exitCode, truncated };
}

/** simple-git reports a signal death as a null or undefined code; keep null for it. */
function exitCodeOf(code: number | null | undefined): number | null {
  return typeof code === 'number' ? code : null;
}

function capped(chunks: readonly Buffer[]): Buffer {
  const all = Buffer.concat(chunks);
  return all.length > STDERR_CAP ? all.subarray(0, STDERR_CAP) : all;
}

/** simple-git's own argv check refused the command; anything else it throws is unexpected. */
function refusalOrFailure(
  cause: unknown,
  GitPluginError: typeof SimpleGitModule.GitPluginError,
  cwd: string,
  fullArgs: readonly string[],
  commands: readonly string[],
): GitError {
  if (cause instanceof GitPluginError && cause.plugin === 'unsafe') {
    return new GitRefusedError({ args: fullArgs, cwd, rule: 'simple-git-unsafe', reason: cause.message });
  }
  if (cause instanceof GitPluginError && cause.plugin === 'abort') {
    return new GitStoppedError({
      args: fullArgs,
      cwd,
      exitCode: null,
      stderr: '',
      reason: 'abort',
      message: `git ${commands.join(' ')} in ${cwd} not started: the caller aborted it`,
      cause,
    });
  }
  const message = cause instanceof Error ? cause.message : String(cause);
  return new GitError({
    args: fullArgs,
    cwd,
    exitCode: null,
    stderr: '',
    message: `git ${commands.join(' ')} failed in ${cwd}: ${message}`,
    cause,
  });
}

function spawnEnvironment(options: RunGitOptions): Record<string, string> {
  // GIT_COMMON_DIR too: git would otherwise take it from the `commondir` file inside the git dir.
  const pinned: Record<string, string> = options.pinned ? { GIT_COMMON_DIR: options.pinned.commonDir } : {};
  const env = gitEnvironment({ ...options.env, ...pinned }, { userConfig: options.userConfig === true });
  const defined: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) defined[key] = value;
  return defined;
}
