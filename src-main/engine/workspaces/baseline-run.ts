// The baseline run of `workspace add` and `workspace check` (DESIGN §9b): the setup (forced, so a
// fixed setup is retried), then every check once on the base commit in a throw-away detached worktree,
// with the dependencies exactly as attempts get them. What the CLI prints from it: which checks pass
// on the base, how long they take, which fail there or need a program that is not installed.
import path from 'node:path';
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import type { Workspace } from '../../../src-shared/domain/records';
import type { BaselineResult } from '../../../src-shared/domain/workspace-detect';
import { checkDependencies } from '../deps/dependency-service';
import type { DependencyService, EnsureOutcome } from '../deps/dependency-service';
import { addDetachedWorktree } from '../git/worktree-add-detached';
import { removeWorktree } from '../git/worktree-remove';
import { resolveCommit } from '../git/resolve-ref';
import type { GitCallOptions } from '../git/run-git';
import type { CheckRunner } from '../scheduler/attempt-context';
import { missingProgram } from './detect-checks';

export type { BaselineResult };

export interface BaselineDeps {
  git: GitCallOptions;
  worktrees: string;
  checks: CheckRunner;
  dependencies: DependencyService;
  /** The user's home: programs installed only there are invisible to checks. */
  userHome: string;
  path: string;
}

export async function runBaseline(
  deps: BaselineDeps,
  workspace: Workspace,
  signal?: AbortSignal,
): Promise<BaselineResult> {
  const baseCommit = await resolveCommit(workspace.path, workspace.baseBranch, deps.git);
  if (baseCommit === null) throw new Error(`base branch ${workspace.baseBranch} does not exist in ${workspace.path}`);
  const warnings: string[] = [];
  const ensured: EnsureOutcome = await deps.dependencies.ensure(workspace, baseCommit, {
    force: true,
    ...(signal ? { signal } : {}),
  });
  if (ensured.kind === 'failed') warnings.push(ensured.reason);

  for (const [name, command] of Object.entries(workspace.checks)) {
    const missing = missingProgram(command, {
      path: deps.path,
      home: deps.userHome,
      setupPlanned: ensured.kind === 'ready',
    });
    if (missing !== null)
      warnings.push(
        `the ${name} check needs \`${missing}\`, which is not installed where checks can see it (the sandbox hides your home folder)`,
      );
  }

  const worktree = path.join(deps.worktrees, workspace.id, `baseline-${Date.now()}`);
  const added = await addDetachedWorktree({
    ...deps.git,
    repoPath: workspace.path,
    worktreePath: worktree,
    ownedRoot: deps.worktrees,
    base: baseCommit,
  });
  if (added.kind !== 'created') throw new Error(`could not create the baseline worktree: ${added.kind}`);
  let checks: CheckOutcome[];
  try {
    const dependencies = checkDependencies(ensured.kind === 'ready' ? ensured.view : null);
    checks = await deps.checks.run({
      worktree: added.worktree,
      checks: workspace.checks,
      ...(signal ? { signal } : {}),
      ...(dependencies ? { dependencies } : {}),
    });
  } finally {
    await removeWorktree({
      ...deps.git,
      repoPath: workspace.path,
      worktreePath: added.path,
      ownedRoot: deps.worktrees,
      gitDir: added.worktree.gitDir,
    });
  }
  for (const check of checks.filter((c) => !c.passed)) {
    warnings.push(
      `the ${check.name} check (${check.command}) ${check.timedOut ? 'times out' : `fails (exit code ${check.exitCode})`} on the base: fine if the tasks are meant to fix it, otherwise no change can show progress on it`,
    );
  }
  const setup: BaselineResult['setup'] =
    ensured.kind === 'none'
      ? { kind: 'none' }
      : ensured.kind === 'failed'
        ? { kind: 'failed', command: ensured.plan.command, reason: ensured.reason }
        : {
            kind: 'ready',
            plan: ensured.plan.reason,
            command: ensured.plan.command,
            cacheHit: ensured.cacheHit,
            durationMs: ensured.durationMs,
            folder: ensured.view.folder,
          };
  return { baseCommit, setup, checks, warnings };
}
