// Stage 2, baseline: the checks on the untouched base commit (cached per workspace and base commit for
// the session), which every later result is compared with.
import type { CheckOutcome } from '../../../../src-shared/domain/attempt';
import { checkDependencies } from '../../deps/dependency-service';
import { classifyBaseFailure } from '../../quality/failure-class';
import { ending } from './attempt-recorder';
import type { ReadyRun, Staged } from './attempt-run';
import { end, next, restoreWorktree } from './attempt-run';

export async function baselineStage(run: ReadyRun, baseCommit: string): Promise<Staged<CheckOutcome[]>> {
  const { deps, workspace, worktree, record, signal } = run;
  record.progress('baseline', 0, 'running the checks on the base commit');
  const cacheKey = `${workspace.id}:${baseCommit}`;
  let checksBefore = deps.baselineCache.get(cacheKey);
  if (!checksBefore) {
    const baseDependencies = checkDependencies(run.dependencies.kind === 'ready' ? run.dependencies.view : null);
    checksBefore = await deps.checks.run({ worktree, checks: workspace.checks, signal, ...(baseDependencies ? { dependencies: baseDependencies } : {}) });
    deps.baselineCache.set(cacheKey, checksBefore);
    await restoreWorktree(run);
  }
  record.update({ checksBefore });
  // A check that cannot finish on the untouched base cannot judge any change: stop here.
  const hung = checksBefore.filter((c) => c.timedOut);
  if (hung.length > 0) {
    return end(
      ending('failed', {
        reasons: hung.map(
          (c) => `the ${c.name} check (${c.command}) timed out on the base commit after safety.check_timeout_s (${deps.config.safety.check_timeout_s} s); fix the check or raise the limit`,
        ),
      }),
    );
  }
  // A check that cannot run at all on the base (not installed, missing dependency, permission) is not
  // something an edit can fix: end now, before spending a model call, naming the fix.
  const broken = checksBefore.map(classifyBaseFailure).filter((c) => c.kind === 'environment');
  if (broken.length > 0) return end(ending('failed', { reasons: broken.map((c) => c.reason) }));
  return next(checksBefore);
}
