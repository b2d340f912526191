// The attempt's first repo analysis (the ranking and outlines its first context build and the explore
// call use), started while git resets the pooled worktree to the start commit instead of after it
// (issue 12: on a 10k-file repository ~10 ms of ranking with the engine otherwise waiting on `status`
// and `read-tree`). It is only started when the session's outline cache knows every parsed file of that
// commit by blob id: it then reads nothing from the worktree, so the files being rewritten under it do
// not matter, and it is exactly what the first build would compute once the reset is done.
import type { Task } from '../../../../src-shared/domain/records';
import { analyseKnownRepo } from '../../agents/repo-map/repo-map';
import type { RepoAnalysis } from '../../agents/repo-map/repo-map';
import type { StartListing } from '../attempt-context';
import type { AttemptRun } from './attempt-run';

export interface StartAnalysis {
  /** The start commit's listing it was computed from: the first build uses it only with the same one. */
  listing: StartListing;
  analysis: RepoAnalysis;
}

/** Counters for tests: analyses computed during a reset, and first builds that used one, since the process started. */
export const startAnalysisStats = { computed: 0, used: 0 };

/** Key of a start commit's listing in the session's `trackedAtStart`. */
export function startKeyOf(workspaceId: string, commit: string): string {
  return `${workspaceId}:${commit}`;
}

/** The words the repo map ranks files by. */
export function taskTextOf(task: Pick<Task, 'title' | 'description'>): string {
  return `${task.title} ${task.description}`;
}

/** Resolves after the current turn of the event loop (the reset's git processes are started by then). */
export function startAnalysis(run: AttemptRun, startCommit: string): Promise<StartAnalysis | null> {
  const { deps, workspace, task } = run;
  const listing = deps.trackedAtStart?.get(startKeyOf(workspace.id, startCommit));
  const cache = deps.outlines;
  const blobs = listing?.blobs;
  if (listing === undefined || blobs === undefined || blobs === null || cache === undefined)
    return Promise.resolve(null);
  return new Promise((resolve) => {
    setImmediate(() => {
      const analysis = analyseKnownRepo({
        worktree: run.worktreeDir,
        tracked: listing.tracked,
        namedFiles: task.files,
        failingFiles: [],
        taskText: taskTextOf(task),
        cache,
        blobs,
      });
      if (analysis !== null) startAnalysisStats.computed++;
      resolve(analysis === null ? null : { listing, analysis });
    });
  });
}
