// The check step of an attempt with the workspace's dependencies (DESIGN §9b): the base's install,
// or — when the change touched a manifest or lock file — an install of the changed files made for
// this attempt without network and without install scripts, removed again once the checks ran.
import type { CheckOutcome } from '../../../src-shared/domain/attempt';
import type { Workspace } from '../../../src-shared/domain/records';
import type { EngineWorktree } from '../git/engine-worktree';
import type { CheckRunner } from '../scheduler/attempt-context';
import { checkDependencies } from './dependency-service';
import type { DependencyService, EnsureOutcome } from './dependency-service';

export interface ChecksOnChangeInput {
  checks: CheckRunner;
  dependencies: DependencyService;
  workspace: Workspace;
  worktree: EngineWorktree;
  head: string;
  attemptId: string;
  /** What `ensure` gave for the base. */
  base: EnsureOutcome;
  /** Manifests and lock files the change touched (dependencyFilesIn). */
  changedDependencyFiles: readonly string[];
  signal?: AbortSignal;
}

export async function runChecksOnChange(
  input: ChecksOnChangeInput,
): Promise<{ outcomes: CheckOutcome[]; note: string | null }> {
  const run = (view: Parameters<typeof checkDependencies>[0]) =>
    input.checks.run({
      worktree: input.worktree,
      checks: input.workspace.checks,
      ...(input.signal ? { signal: input.signal } : {}),
      ...withDeps(checkDependencies(view)),
    });
  const base = input.base.kind === 'ready' ? input.base : null;
  if (base === null || input.changedDependencyFiles.length === 0)
    return { outcomes: await run(base?.view ?? null), note: null };

  const installed = await input.dependencies.installChanged(
    input.workspace,
    input.head,
    base,
    input.attemptId,
    input.signal,
  );
  if (installed.kind === 'failed') return { outcomes: await run(base.view), note: installed.note };
  try {
    return { outcomes: await run(installed.view), note: installed.note };
  } finally {
    await input.dependencies.discard(installed.view);
  }
}

function withDeps(dependencies: ReturnType<typeof checkDependencies>) {
  return dependencies ? { dependencies } : {};
}
