// Runs a workspace's checks on a worktree, one after another: each through the command policy, then
// in the sandbox. A check the policy refuses is a failed check whose output says why — the attempt
// goes on and the reason reaches the report — while a missing sandbox stops everything with the
// install-or-opt-out message, since no check may run unsandboxed unless the user chose that.
import type { SafetyConfig } from '../../../../src-shared/config/schema';
import type { CheckName, CheckOutcome } from '../../../../src-shared/domain/attempt';
import type { Logger } from '../../log/logger';
import { evaluateCommand } from '../command-policy';
import { createSandboxDetector } from './detect-sandbox';
import type { SandboxDetector, SandboxKind } from './detect-sandbox';
import type { AppliedLimits, CheckLimits } from './check-limits';
import type { CheckDependencies } from './dependency-mounts';
import { runSandboxed } from './run-sandboxed';
import type { WorktreeGitPaths } from './sandbox-mounts';

export type { CheckName };

export interface CheckSpec {
  name: CheckName;
  command: string;
}

/** The pipeline's CheckOutcome plus what only the safety layer knows about how the check ran. */
export interface CheckResult extends CheckOutcome {
  outputTruncated: boolean;
  /** Where it ran; null when the policy refused it and nothing ran. */
  sandbox: SandboxKind | null;
  /** The command policy's reason, when it refused the check. */
  deniedReason: string | null;
  /** Process and memory caps it ran under and whether it hit them; null when it did not run. */
  limits: AppliedLimits | null;
}

export interface RunChecksOptions {
  checks: readonly CheckSpec[];
  worktree: string;
  /** The worktree's git wiring as the engine recorded it (read-only inside the sandbox). */
  git?: WorktreeGitPaths;
  safety: SafetyConfig;
  /** Hidden from every check on top of homes and /run: at least the engine's home. */
  hiddenPaths: readonly string[];
  log: Logger;
  signal?: AbortSignal;
  detector?: SandboxDetector;
  /** Output budget per check (stdout, stderr and combined each). */
  maxOutputBytes?: number;
  /** Process and memory caps per check; defaults in ../sandbox/check-limits. */
  limits?: Partial<CheckLimits>;
  /** The workspace's installed dependencies, shown read-only (./dependency-mounts). */
  dependencies?: CheckDependencies;
}

const DEFAULT_MAX_OUTPUT_BYTES = 256 * 1024;

export async function runChecks(options: RunChecksOptions): Promise<CheckResult[]> {
  const { safety, log } = options;
  // One probe for all the checks of this run when the engine did not hand in its own detector.
  const detector = options.detector ?? createSandboxDetector();
  if (safety.sandbox === 'off' && options.checks.length > 0) {
    log.warn({ worktree: options.worktree }, 'checks run WITHOUT a sandbox because safety.sandbox is off');
  }
  const results: CheckResult[] = [];
  for (const check of options.checks) {
    options.signal?.throwIfAborted();
    const verdict = evaluateCommand(check.command, { kind: 'check', extraDenied: safety.blocked_commands });
    if (!verdict.allowed) {
      log.warn(
        { check: check.name, command: check.command, rule: verdict.rule },
        `check refused by the command policy: ${verdict.reason}`,
      );
      results.push({
        name: check.name,
        command: check.command,
        passed: false,
        exitCode: null,
        timedOut: false,
        durationMs: 0,
        output: `refused by the command policy, not run: ${verdict.reason}\n`,
        outputTruncated: false,
        sandbox: null,
        deniedReason: verdict.reason,
        limits: null,
      });
      continue;
    }

    const run = await runSandboxed({
      command: check.command,
      cwd: options.worktree,
      mode: safety.sandbox,
      timeoutMs: safety.check_timeout_s * 1000,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      readPaths: [...safety.sandbox_read_paths, ...(options.dependencies?.readPaths ?? [])],
      hiddenPaths: options.hiddenPaths,
      ...(options.git ? { git: options.git } : {}),
      ...(options.dependencies ? { dependencyMounts: options.dependencies.mounts, env: options.dependencies.env } : {}),
      detector,
      signal: options.signal,
      ...(options.limits ? { limits: options.limits } : {}),
    });
    options.signal?.throwIfAborted();
    const passed = run.exitCode === 0 && !run.timedOut;
    const timeoutNote = run.timedOut
      ? `[timed out after ${safety.check_timeout_s} s (safety.check_timeout_s); the check and every process it started were killed]\n`
      : '';
    results.push({
      name: check.name,
      command: check.command,
      passed,
      exitCode: run.exitCode,
      timedOut: run.timedOut,
      durationMs: run.durationMs,
      output: run.output + (timeoutNote && !run.output.endsWith('\n') && run.output !== '' ? '\n' : '') + timeoutNote,
      outputTruncated: run.outputTruncated,
      sandbox: run.sandbox,
      deniedReason: null,
      limits: run.limits,
    });
    log.info(
      {
        check: check.name,
        passed,
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        durationMs: run.durationMs,
        sandbox: run.sandbox,
        processLimit: run.limits.processes.mechanism,
        memoryLimit: run.limits.memory.mechanism,
        ...(run.limits.processLimitHit ? { processLimitHit: true } : {}),
        ...(run.limits.memoryLimitHit ? { memoryLimitHit: true } : {}),
      },
      `check ${check.name} ${passed ? 'passed' : 'failed'}`,
    );
  }
  return results;
}
