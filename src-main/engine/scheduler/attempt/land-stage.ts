// Stage 5, land: an auto-approved change merges into the workspace's target branch, unless the night's
// merge limit is reached or the git layer holds it (conflict, a race, a dirty checkout of the target).
import type { ScoreBreakdown } from '../../../../src-shared/domain/attempt';
import { landAttempt } from '../../integration/land-attempt';
import type { AttemptEnding } from './attempt-recorder';
import { ending } from './attempt-recorder';
import type { ReadyRun } from './attempt-run';
import { recheckMerge } from './merge-recheck';

export async function landStage(run: ReadyRun, breakdown: ScoreBreakdown, reasons: string[]): Promise<AttemptEnding> {
  const { deps, workspace, task, record } = run;
  const { config } = deps;
  const scored = { score: breakdown.total, scoreBreakdown: breakdown };
  if (deps.mergedThisNight() >= config.scheduler.max_changes_per_night) {
    return ending('review', {
      ...scored,
      decision: 'held',
      reasons: [
        ...reasons,
        `scheduler.max_changes_per_night (${config.scheduler.max_changes_per_night}) reached: held for review`,
      ],
    });
  }
  const head = record.attempt().headCommit;
  if (head) {
    const recheck = await recheckMerge(run, head);
    if (recheck.kind === 'checked' && recheck.regressions.length > 0) {
      return ending('review', {
        ...scored,
        decision: 'held',
        reasons: [
          ...reasons,
          `${recheck.target} moved since the base, and the merge result fails the ${recheck.regressions.join(', ')} check(s) that pass on the change itself: held for review`,
        ],
      });
    }
    if (recheck.kind === 'checked')
      reasons.push(`${recheck.target} moved since the base; the checks pass on the merge result`);
  }
  record.progress('land', 0, `merging into ${workspace.targetBranch}`);
  const landed = await landAttempt(workspace, task, record.attempt(), deps.now(), deps.git);
  if (landed.kind === 'merged') {
    return ending('merged', {
      ...scored,
      decision: 'merge',
      mergedCommit: landed.commit,
      backupRef: landed.backupRef,
      reasons: [
        ...reasons,
        `score ${breakdown.total.toFixed(2)} ≥ ${config.quality.auto_approve_threshold}: ${landed.note}`,
      ],
    });
  }
  return ending('review', { ...scored, decision: 'held', reasons: [...reasons, landed.reason] });
}
