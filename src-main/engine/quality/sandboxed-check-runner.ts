// The pipeline's view of the workspace checks: run each configured command (test first, then type
// check, lint, build) through the command policy and the OS sandbox, with the engine's home hidden so
// that model-written code cannot read the database, the config or other attempts' worktrees. The
// worktree's git wiring is shown read-only to the checks and verified after them (./worktree-tamper).
import type { SafetyConfig } from '../../../src-shared/config/schema';
import { checkNames } from '../../../src-shared/domain/attempt';
import type { CheckName, CheckOutcome } from '../../../src-shared/domain/attempt';
import type { EngineWorktree } from '../git/engine-worktree';
import type { GitCallOptions } from '../git/run-git';
import { snapshotWorktreeIntegrity, verifyWorktreeIntegrity } from '../git/worktree-integrity';
import type { Logger } from '../log/logger';
import { createSandboxDetector } from '../safety/sandbox/detect-sandbox';
import type { SandboxDetector } from '../safety/sandbox/detect-sandbox';
import type { CheckDependencies } from '../safety/sandbox/dependency-mounts';
import { runChecks } from '../safety/sandbox/run-checks';
import { parseTestCounts } from './test-counts/test-counts';
import type { CheckRunner } from '../scheduler/attempt-context';
import { RepositoryGoneError, WorktreeTamperedError } from './worktree-tamper';

const order: readonly CheckName[] = ['test', 'typecheck', 'lint', 'build'];

export class SandboxedCheckRunner implements CheckRunner {
  constructor(
    private readonly safety: SafetyConfig,
    private readonly hiddenPaths: string[],
    private readonly log: Logger,
    private readonly git: GitCallOptions = {},
    // One probe per engine (the engine passes its own): whether bubblewrap works does not change
    // while the engine runs, however many runners its sessions and baseline runs build.
    private readonly detector: SandboxDetector = createSandboxDetector(),
  ) {}

  async run(input: {
    worktree: EngineWorktree;
    checks: Record<string, string>;
    signal?: AbortSignal;
    dependencies?: CheckDependencies;
  }): Promise<CheckOutcome[]> {
    const checks = order
      .filter((name) => typeof input.checks[name] === 'string' && input.checks[name] !== '')
      .map((name) => ({ name, command: input.checks[name] ?? '' }));
    const unknown = Object.keys(input.checks).filter((name) => !(checkNames as readonly string[]).includes(name));
    if (unknown.length > 0)
      throw new Error(`unknown check name(s) ${unknown.join(', ')}: expected ${checkNames.join(', ')}`);
    const { worktree } = input;
    const before = await snapshotWorktreeIntegrity(worktree, this.git);
    const results = await runChecks({
      checks,
      worktree: worktree.path,
      git: { dotGit: `${worktree.path}/.git`, gitDir: worktree.gitDir, commonDir: worktree.commonDir },
      safety: this.safety,
      hiddenPaths: this.hiddenPaths,
      log: this.log,
      detector: this.detector,
      limits: {
        maxProcesses: this.safety.max_check_processes,
        ...(this.safety.max_check_memory_mb !== null
          ? { maxMemoryBytes: this.safety.max_check_memory_mb * 2 ** 20 }
          : {}),
      },
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.dependencies ? { dependencies: input.dependencies } : {}),
    });
    const integrity = await verifyWorktreeIntegrity(worktree, before, this.git);
    if (integrity.kind === 'repository-gone') throw new RepositoryGoneError(worktree.repoPath);
    if (integrity.kind === 'tampered') {
      this.log.error(
        { worktree: worktree.path, findings: integrity.findings },
        "the checks tampered with the worktree's git metadata",
      );
      throw new WorktreeTamperedError(integrity.findings);
    }
    // Only the pipeline's fields are kept: the safety layer's extras stay in the log. A test check's
    // counts come from its runner's summary, when it printed one.
    return results.map(({ name, command, passed, exitCode, timedOut, durationMs, output }) => ({
      name,
      command,
      passed,
      exitCode,
      timedOut,
      durationMs,
      output,
      tests: name === 'test' && !timedOut ? parseTestCounts(output) : null,
    }));
  }
}
