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
  // The cache holds the run itself, so parallel attempts of one task starting together share one
  // baseline run instead of each running the checks on the same commit.
  let pending = deps.baselineCache.get(cacheKey);
  const ranHere = pending === undefined;
  if (pending === undefined) {
    const baseDependencies = checkDependencies(run.dependencies.kind === 'ready' ? run.dependencies.view : null);
    pending = deps.checks.run({
      worktree,
      checks: workspace.checks,
      signal,
      ...(baseDependencies ? { dependencies: baseDependencies } : {}),
    });
    deps.baselineCache.set(cacheKey, pending);
    // A run that threw (tampering, an abort) is not a result: the next attempt runs it again.
    pending.catch(() => deps.baselineCache.delete(cacheKey));
  }
  const checksBefore = await pending;
  if (ranHere) await restoreWorktree(run);
  record.update({ checksBefore });
  // A check that cannot finish on the untouched base cannot judge any change: stop here.
  const hung = checksBefore.filter((c) => c.timedOut);
  if (hung.length > 0) {
    return end(
      ending('failed', {
        reasons: hung.map(
          (c) =>
            `the ${c.name} check (${c.command}) timed out on the base commit after safety.check_timeout_s (${deps.config.safety.check_timeout_s} s); fix the check or raise the limit`,
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
