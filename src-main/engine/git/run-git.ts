// Every git process the engine spawns goes through `runGit`. That single choke point is what lets us
// promise DESIGN §2 principle 1: hooks never run (model-written code must not trigger the user's hooks),
// no prompt can hang a night run, output is in a parseable locale, commits get a fixed identity even on
// machines without one, and the safety layer can veto any argv through `policy` before it runs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../log/logger';
import { GitError } from './git-error';

/** Called with the full argv (`['git', ...]`) before spawning; throw to refuse the command. */
export type GitCommandPolicy = (argv: readonly string[]) => void;

/** What every git operation of this layer accepts and hands down to `runGit`. */
export interface GitCallOptions {
  policy?: GitCommandPolicy;
  logger?: Logger;
}

/** Just the call options out of a larger params object, so no other field can leak into runGit. */
export function callOptions(source: GitCallOptions): GitCallOptions {
  return { policy: source.policy, logger: source.logger };
}

export interface RunGitOptions extends GitCallOptions {
  /** Written to stdin (messages are passed this way, never as argv, so no quoting or length issues). */
  input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  /** Stop reading stdout after this many bytes and kill git; the result says `truncated`. */
  maxStdoutBytes?: number;
  /** Extra environment on top of the sanitized one. */
  env?: Readonly<Record<string, string>>;
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

export const AGENT_NAME = 'Nocturnal Agent';
export const AGENT_EMAIL = 'nocturnal-agent@localhost';

/**
 * Config overrides passed to every command. `core.hooksPath=/dev/null` is the portable way to disable
 * all hooks (there is no directory to find them in); fsmonitor is a configurable program too; signing
 * would prompt or fail on an unattended machine; pager and colour would corrupt parsed output.
 */
export const SAFETY_CONFIG: readonly string[] = [
  '-c', 'core.hooksPath=/dev/null',
  '-c', 'core.fsmonitor=false',
  // The global attributes file can select filter and diff drivers; only the repository's own count.
  '-c', 'core.attributesFile=/dev/null',
  '-c', 'commit.gpgSign=false',
  '-c', 'tag.gpgSign=false',
  '-c', 'core.pager=cat',
  '-c', 'color.ui=false',
];

// Variables git inherits from a parent git (we might run inside a hook, or a test under `git rebase -x`)
// would silently redirect us to another repository, index or config. Only these harmless ones survive.
const KEPT_GIT_VARIABLES = /^GIT_(EXEC_PATH|TRACE\w*)$/;
const USER_CONFIG_VARIABLES = /^GIT_CONFIG_(GLOBAL|SYSTEM|NOSYSTEM)$/;

/**
 * Configuration the engine controls: no system config, no global config, no system attributes. A
 * program git would run (filter, textconv, fsmonitor, hooks) can then come only from the repository's
 * own config, which checks cannot write (read-only in the sandbox, and verified after every check).
 */
export const CONTROLLED_CONFIG_ENV: Readonly<Record<string, string>> = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_ATTR_NOSYSTEM: '1',
};

const STDERR_CAP = 1024 * 1024;

export function gitEnvironment(extra?: Readonly<Record<string, string>>, options: { userConfig?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const userConfig = options.userConfig === true;
  for (const [key, value] of Object.entries(process.env)) {
    // Where the user's own configuration applies, so do their choices of where it lives.
    const kept = KEPT_GIT_VARIABLES.test(key) || (userConfig && USER_CONFIG_VARIABLES.test(key));
    if (key.startsWith('GIT_') && !kept) continue;
    env[key] = value;
  }
  if (!userConfig) Object.assign(env, CONTROLLED_CONFIG_ENV);
  Object.assign(env, {
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LC_ALL: 'C',
    LANGUAGE: 'C',
    // Read-only commands such as `status` must not rewrite the user's index behind their back.
    GIT_OPTIONAL_LOCKS: '0',
    GIT_EDITOR: ':',
    GIT_PAGER: 'cat',
    GIT_AUTHOR_NAME: AGENT_NAME,
    GIT_AUTHOR_EMAIL: AGENT_EMAIL,
    GIT_COMMITTER_NAME: AGENT_NAME,
    GIT_COMMITTER_EMAIL: AGENT_EMAIL,
  });
  if (extra) Object.assign(env, extra);
  return env;
}

export async function runGit(cwd: string, args: readonly string[], options: RunGitOptions = {}): Promise<GitResult> {
  const pin = options.pinned;
  const pinArgs = pin ? [...pin.config, `--git-dir=${pin.gitDir}`, `--work-tree=${pin.workTree}`] : [];
  const fullArgs = [...SAFETY_CONFIG, ...pinArgs, ...args];
  options.policy?.(['git', ...fullArgs]);
  const started = Date.now();
  const result = await spawnGit(cwd, fullArgs, options);
  options.logger?.debug({ cwd, args, exitCode: result.exitCode, ms: Date.now() - started }, 'git');
  const ok = options.okExitCodes ?? [0];
  if (!result.truncated && (result.exitCode === null || !ok.includes(result.exitCode))) {
    throw new GitError({ args: fullArgs, cwd, exitCode: result.exitCode, signal: result.signal, stderr: result.stderr });
  }
  return { stdout: result.stdout, stdoutBytes: result.stdoutBytes, stderr: result.stderr, exitCode: result.exitCode ?? -1, truncated: result.truncated };
}

function spawnEnvironment(options: RunGitOptions): NodeJS.ProcessEnv {
  // GIT_COMMON_DIR too: git would otherwise take it from the `commondir` file inside the git dir.
  const pinned: Record<string, string> = options.pinned ? { GIT_COMMON_DIR: options.pinned.commonDir } : {};
  return gitEnvironment({ ...options.env, ...pinned }, { userConfig: options.userConfig === true });
}

interface RawResult {
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
  truncated: boolean;
}

function spawnGit(cwd: string, fullArgs: string[], options: RunGitOptions): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', fullArgs, {
      cwd,
      env: spawnEnvironment(options),
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      windowsHide: true,
      timeout: options.timeoutMs,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let truncated = false;
    const cap = options.maxStdoutBytes;

    child.stdout?.on('data', (chunk: Buffer) => {
      if (truncated) return;
      if (cap !== undefined && outBytes + chunk.length > cap) {
        out.push(chunk.subarray(0, cap - outBytes));
        outBytes = cap;
        truncated = true;
        // We have what we asked for; the rest is not worth waiting for.
        child.kill('SIGTERM');
        return;
      }
      out.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      if (errBytes >= STDERR_CAP) return;
      err.push(chunk);
      errBytes += chunk.length;
    });
    child.on('error', (cause) => {
      reject(
        new GitError({
          args: fullArgs,
          cwd,
          exitCode: null,
          stderr: '',
          message: `could not run git ${fullArgs.slice(SAFETY_CONFIG.length).join(' ')} in ${cwd}: ${spawnFailure(cwd, cause)}`,
          cause,
        }),
      );
    });
    child.on('close', (code, signal) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({
        stdout: stdoutBytes.toString('utf8'),
        stdoutBytes,
        stderr: Buffer.concat(err).toString('utf8'),
        exitCode: code,
        signal,
        truncated,
      });
    });
    if (options.input !== undefined && child.stdin) {
      // EPIPE when git exits early is reported through its exit status, not here.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input, 'utf8');
    }
  });
}

/** A missing working directory also reports ENOENT; say which of the two it was. */
function spawnFailure(cwd: string, cause: Error): string {
  if ((cause as NodeJS.ErrnoException).code === 'ENOENT' && !existsSync(cwd)) {
    return `the directory ${cwd} does not exist (deleted or moved?)`;
  }
  return cause.message;
}
