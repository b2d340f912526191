// Runs one shell command in the OS sandbox (DESIGN §7): bubblewrap on Linux, sandbox-exec on macOS,
// or — only when `safety.sandbox: off` was chosen — directly, and the result says which. Whatever the
// mode: a scrubbed environment with a private HOME and TMPDIR, a time limit, and capped output.
//
// The process starts detached, leading its own process group, so a timeout or cancel can signal the
// whole tree (SIGTERM, then SIGKILL after a grace period) — a test runner's workers included. Under
// bubblewrap the check also lives in its own PID namespace: when bubblewrap goes, the kernel kills
// everything inside, even processes that started new sessions to escape the group. Processes and
// memory are capped too (./check-limits): by a cgroup made for the run where the engine may create
// one, and by RLIMIT_NPROC inside bubblewrap's user namespace; the result says what applied.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmdirSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NocturnalError } from '../../errors/nocturnal-error';
import { buildBubblewrapArgs } from './bubblewrap-args';
import { JOIN_SCRIPT, createCgroupJail } from './cgroup-jail';
import type { CgroupJail } from './cgroup-jail';
import { defaultCheckLimits, kernelCountsNprocPerUserNamespace, limitNote } from './check-limits';
import type { AppliedLimits, CheckLimits } from './check-limits';
import type { DependencyMount } from './dependency-mounts';
import { createSandboxDetector } from './detect-sandbox';
import type { SandboxDetector, SandboxKind, SandboxSupport } from './detect-sandbox';
import { OutputCap } from './output-cap';
import { sandboxHint } from './sandbox-hints';
import { buildSandboxExecProfile } from './sandbox-exec-profile';
import { resolveSandboxMounts } from './sandbox-mounts';
import type { WorktreeGitPaths } from './sandbox-mounts';
import { scrubbedEnv } from './scrubbed-env';
import { takeForkTurn } from '../../loop/fork-turn';

export type SandboxMode = 'auto' | 'required' | 'off';

export interface RunSandboxedOptions {
  /** Run as `/bin/sh -c command` inside the sandbox. */
  command: string;
  /** The worktree: the only writable place, and the working directory. */
  cwd: string;
  mode: SandboxMode;
  timeoutMs: number;
  /** Budget for each of stdout, stderr and the combined output. */
  maxOutputBytes: number;
  /** Host paths shown read-only (`safety.sandbox_read_paths`). */
  readPaths?: readonly string[];
  /** Host paths hidden, on top of homes and /run (pass the engine's home). */
  hiddenPaths?: readonly string[];
  /** The worktree's git wiring: shown read-only so git works inside, and never writable. */
  git?: WorktreeGitPaths;
  /** Extra environment, filtered like everything else (see scrubbed-env). */
  env?: Readonly<Record<string, string>>;
  /** Share one detector per engine so bubblewrap is probed once. */
  detector?: SandboxDetector;
  signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL on timeout or cancel. */
  killGraceMs?: number;
  /** Process and memory caps; missing fields take ./check-limits' defaults. */
  limits?: Partial<CheckLimits>;
  /** Network on: only the dependency setup (DESIGN §9b); every check runs without it. */
  network?: boolean;
  /** Installed dependencies shown read-only inside the worktree (bubblewrap only). */
  dependencyMounts?: readonly DependencyMount[];
}

export interface SandboxedResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  aborted: boolean;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived, capped; ends with the hint when there is one. */
  output: string;
  outputTruncated: boolean;
  durationMs: number;
  sandbox: SandboxKind;
  /** Why a failure may be the sandbox's doing, or null. */
  hint: string | null;
  /** Which process and memory caps applied, and whether the check ran into them. */
  limits: AppliedLimits;
}

export class SandboxUnavailableError extends NocturnalError {
  readonly support: SandboxSupport;

  constructor(support: SandboxSupport, mode: SandboxMode) {
    const install =
      process.platform === 'darwin'
        ? 'sandbox-exec ships with macOS in /usr/bin; check that it is present and runnable'
        : 'install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; Fedora: sudo dnf install bubblewrap; Arch: sudo pacman -S bubblewrap)';
    super(
      'runtime',
      `checks must run in a sandbox (safety.sandbox: ${mode}) but none is usable: ${support.reason}. ` +
        `To fix: ${install}. To run checks without a sandbox instead, set "safety.sandbox: off" in config.yaml ` +
        '(model-written code then runs with your user rights).',
    );
    this.name = 'SandboxUnavailableError';
    this.support = support;
  }
}

const DEFAULT_KILL_GRACE_MS = 2_000;
// After the main process exits, how long stdout/stderr may take to drain before they are cut off.
const DRAIN_MS = 1_000;
const SANDBOX_HOME = '/tmp/home';

export async function runSandboxed(options: RunSandboxedOptions): Promise<SandboxedResult> {
  const support = options.mode === 'off' ? null : await (options.detector ?? createSandboxDetector()).detect();
  if (support !== null && support.kind === 'none') throw new SandboxUnavailableError(support, options.mode);
  const kind: SandboxKind = support?.kind ?? 'none';

  // Without a sandbox nothing is hidden or bound read-only: only the worktree's real path is used
  // (the working directory). Resolving the hidden and read-only paths cost a realpath and a stat
  // each, every check run, for nothing.
  const mounts =
    kind === 'none'
      ? { worktree: realpathSync(options.cwd), hidden: [], readOnly: [] }
      : await resolveSandboxMounts({
          worktree: options.cwd,
          hiddenPaths: options.hiddenPaths ?? [],
          readPaths: options.readPaths ?? [],
          git: options.git,
        });
  const limits: CheckLimits = { ...defaultCheckLimits(), ...options.limits };
  // A fresh host folder per run, removed afterwards: HOME and TMPDIR where there is no private tmpfs
  // (sandbox-exec, off), and the empty file bubblewrap binds over hidden files.
  // realpath: Seatbelt matches resolved paths, and macOS's temp folder sits behind /var → /private/var.
  const hostTemp = realpathSync(mkdtempSync(join(tmpdir(), 'nocturnal-check-')));
  let jail: CgroupJail | null = null;
  try {
    const bubblewrap = kind === 'bubblewrap' ? support : null;
    const home = bubblewrap ? SANDBOX_HOME : join(hostTemp, 'home');
    const temp = bubblewrap ? '/tmp' : join(hostTemp, 'tmp');
    if (!bubblewrap) {
      mkdirSync(home);
      mkdirSync(temp);
    }
    const env = scrubbedEnv(process.env, { home, tmpdir: temp, extra: options.env });

    // RLIMIT_NPROC only where it counts the sandbox alone: its own user namespace on a 5.14+ kernel.
    const nproc =
      bubblewrap?.disableUserns === true && kernelCountsNprocPerUserNamespace() ? limits.maxProcesses : null;
    let file = '/bin/sh';
    let args = ['-c', options.command];
    if (bubblewrap?.executable) {
      const emptyFile = join(hostTemp, 'empty');
      await writeFile(emptyFile, '', { mode: 0o444 });
      file = bubblewrap.executable;
      args = buildBubblewrapArgs(
        {
          ...mounts,
          home,
          emptyFile,
          disableUserns: bubblewrap.disableUserns,
          maxProcesses: nproc,
          network: options.network === true,
          dependencyMounts: options.dependencyMounts ?? [],
        },
        options.command,
      );
    } else if ((options.dependencyMounts ?? []).length > 0) {
      // Without mount namespaces there is no way to show the cache inside the worktree uncopied.
      throw new NocturnalError(
        'runtime',
        `this workspace's dependencies are shown to checks with bubblewrap mounts, which ${kind === 'none' ? 'safety.sandbox: off' : kind} cannot do; install bubblewrap or remove the workspace's setup`,
      );
    } else if (kind === 'sandbox-exec' && support?.executable) {
      file = support.executable;
      const profile = buildSandboxExecProfile({
        worktree: mounts.worktree,
        tempDir: hostTemp,
        readPaths: mounts.readOnly,
        hiddenPaths: mounts.hidden.map((h) => h.path),
        network: options.network === true,
      });
      args = ['-p', profile, '/bin/sh', '-c', options.command];
    }
    if (process.platform === 'linux') jail = await createCgroupJail(limits);
    if (jail !== null) {
      args = ['-c', JOIN_SCRIPT, 'nocturnal-join', String(jail.procsFiles.length), ...jail.procsFiles, file, ...args];
      file = '/bin/sh';
    }
    // RLIMIT_NPROC is not enforced for real uid 0: as root only the cgroup caps processes.
    const rlimitWorks = nproc !== null && process.getuid?.() !== 0;
    const applied: AppliedLimits = {
      processes: jail?.processes
        ? { mechanism: 'cgroup', max: limits.maxProcesses }
        : rlimitWorks
          ? { mechanism: 'rlimit', max: limits.maxProcesses }
          : { mechanism: 'none', max: null },
      memory: jail?.memory
        ? { mechanism: 'cgroup', maxBytes: limits.maxMemoryBytes }
        : { mechanism: 'none', maxBytes: null },
      processLimitHit: false,
      memoryLimitHit: false,
    };
    await takeForkTurn();
    const result = await runProcessGroup(file, args, { ...options, cwd: mounts.worktree, env, kind }, applied);
    if (jail === null) return result;
    const hit = await jail.counters();
    const final = { ...result.limits, ...hit };
    const note = limitNote(final);
    return {
      ...result,
      limits: final,
      output:
        note === ''
          ? result.output
          : `${result.output}${result.output.endsWith('\n') || result.output === '' ? '' : '\n'}${note}`,
    };
  } finally {
    await jail?.remove();
    await removeHostTemp(hostTemp);
  }
}

/**
 * The run's host folder goes. Usually it holds only what this function made (an empty HOME and
 * TMPDIR, bubblewrap's empty file): removed synchronously, entry by entry. Anything a check left there
 * makes a removal fail (ENOTEMPTY), and the whole folder goes through the asynchronous recursive
 * removal, which does not hold the event loop however much was left.
 */
async function removeHostTemp(hostTemp: string): Promise<void> {
  try {
    for (const name of ['home', 'tmp']) {
      try {
        rmdirSync(join(hostTemp, name));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    rmSync(join(hostTemp, 'empty'), { force: true });
    rmdirSync(hostTemp);
  } catch {
    await rm(hostTemp, { recursive: true, force: true });
  }
}

function runProcessGroup(
  file: string,
  args: string[],
  options: RunSandboxedOptions & { env: Record<string, string>; kind: SandboxKind },
  limits: AppliedLimits,
): Promise<SandboxedResult> {
  const started = performance.now();
  const stdout = new OutputCap(options.maxOutputBytes);
  const stderr = new OutputCap(options.maxOutputBytes);
  const combined = new OutputCap(options.maxOutputBytes);
  let timedOut = false;
  let aborted = false;

  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve(finish(null, null, true));
      return;
    }
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timers: NodeJS.Timeout[] = [];

    const signalGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      timers.push(setTimeout(() => signalGroup('SIGKILL'), options.killGraceMs ?? DEFAULT_KILL_GRACE_MS));
    };
    const onAbort = () => {
      aborted = true;
      stop();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        stop();
      }, options.timeoutMs),
    );

    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      combined.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      combined.push(chunk);
    });
    const drained = Promise.all([
      new Promise((done) => child.stdout.once('close', done)),
      new Promise((done) => child.stderr.once('close', done)),
    ]);

    child.once('error', (error) => {
      cleanup();
      reject(new NocturnalError('runtime', `could not start ${file}: ${error.message}`, { cause: error }));
    });
    child.once('exit', (code, signal) => {
      // Leftovers (a background job the check forgot) die with it; the group is ours alone.
      signalGroup('SIGKILL');
      // The drain deadline is one of `timers`: cleanup() clears it, or it would keep the process (a
      // `run --now` whose last check just ended) alive for DRAIN_MS after everything else is done.
      const drainDeadline = new Promise((done) => timers.push(setTimeout(done, DRAIN_MS)));
      void Promise.race([drained, drainDeadline]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        cleanup();
        resolve(finish(code, signal, false));
      });
    });

    function cleanup() {
      for (const timer of timers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  });

  function finish(
    exitCode: number | null,
    signal: NodeJS.Signals | null,
    abortedBeforeStart: boolean,
  ): SandboxedResult {
    const out = stdout.text();
    const err = stderr.text();
    const hint =
      timedOut || aborted || abortedBeforeStart
        ? null
        : sandboxHint({ exitCode, stdout: out, stderr: err }, options.kind);
    const output = combined.text();
    return {
      exitCode,
      signal,
      timedOut,
      aborted: aborted || abortedBeforeStart,
      stdout: out,
      stderr: err,
      output: hint === null ? output : `${output}${output.endsWith('\n') || output === '' ? '' : '\n'}${hint}\n`,
      outputTruncated: stdout.truncated || stderr.truncated || combined.truncated,
      durationMs: Math.round(performance.now() - started),
      sandbox: options.kind,
      hint,
      limits,
    };
  }
}
