// Stage 3, improve: the cycles of DESIGN §4 — context, (spec), edits, commit, checks — each followed by
// the evaluate stage; a failure or a low score goes back to the model as feedback while cycles are left.
// Ends with the change to land, or with how the attempt ended.
import type { CheckOutcome, ScoreBreakdown } from '../../../../src-shared/domain/attempt';
import { buildContext } from '../../agents/context-builder';
import type { BuiltContext, ContextRequest } from '../../agents/context-builder';
import { explore } from '../../agents/explore';
import type { Explored } from '../../agents/explore';
import { OutlineCache } from '../../agents/repo-map/outline-cache';
import { trackedSet } from '../../agents/repo-map/rank-index';
import { runChecksOnChange } from '../../deps/checks-on-change';
import { pinnedReadOnly } from '../../git/engine-worktree';
import { diffOnce } from './diff-stats-once';
import { classifyBaseFailure } from '../../quality/failure-class';
import type { StartListing } from '../attempt-context';
import { classifyChangeFailure } from '../../agents/change-failure';
import { dependencyFilesIn } from '../../workspaces/detect-setup';
import { digestFailure, renderFailureDigest } from '../../agents/failure-digest';
import { renderSpecForEdits } from '../../agents/prompts/spec-v1';
import { renderChecks } from '../../report/render-report';
import { ending } from './attempt-recorder';
import type { ReadyRun, Staged } from './attempt-run';
import { end, next, restoreIfChecked } from './attempt-run';
import { editStep } from './edit-step';
import { CycleMemory } from './cycle-memory';
import { evaluateStage } from './evaluate-stage';
import { truncateFeedback } from './feedback-text';
import { specify } from './spec-step';
import { startAnalysisStats, startKeyOf, taskTextOf } from './start-analysis';

export interface ToLand {
  breakdown: ScoreBreakdown;
  reasons: string[];
}

export async function improveStage(
  run: ReadyRun,
  baseCommit: string,
  checksBefore: CheckOutcome[],
): Promise<Staged<ToLand>> {
  const { deps, task, workspace, worktree, signal, record } = run;
  const { config, git } = deps;

  // llm.context_size / max_tokens as the model uses them (`auto` resolved from the loaded model).
  const sizes = await deps.model.sizing();
  const budget = Math.max(256, Math.floor((sizes.contextSize - sizes.maxTokens) * 0.6));
  const notes = await deps.knowledge.workspaceNotes(workspace);
  const taskText = taskTextOf(task);
  // Rebuilt from the worktree before every cycle: the model edits the files as they are now. The repo
  // map's outlines are cached for the session (or the attempt), so a cycle re-parses only the files it
  // changed, and an attempt in a pooled worktree only what differs from the attempt before it.
  const outlines = deps.outlines ?? new OutlineCache();
  let explored: Explored | null = null;
  let failureOutput = '';
  // The explore call's build, whose file list and repo analysis the next build reuses when it asks
  // for the same files with the same failure output: nothing is written, staged or committed between
  // them (explore only reads). Every later build lists and ranks again.
  let reusable: { files: string[]; failureOutput: string; built: BuiltContext } | null = null;
  // The attempt's first build sees the index and the files exactly as the start commit's tree (the
  // pool's reset — `status` found nothing changed, `read-tree -m -u` wrote what differs — or a fresh
  // worktree made it so; a baseline run here was followed by the restore to HEAD, and its integrity
  // check found nothing staged): an earlier attempt of the session that started from the same commit
  // listed the same files, and the repo map finds their outlines by blob id.
  const startKey = startKeyOf(workspace.id, baseCommit);
  // The same analysis, computed while the worktree was reset, when the first build asks for the task's
  // own files with no failure output from the listing it was made from.
  const early = run.startAnalysis ? await run.startAnalysis : null;
  let firstBuild = true;
  const build = async (files: string[]) => {
    const earlier =
      reusable !== null &&
      reusable.failureOutput === failureOutput &&
      reusable.files.length === files.length &&
      reusable.files.every((f, i) => files[i] === f)
        ? reusable.built
        : null;
    reusable = null;
    const atStart = firstBuild ? deps.trackedAtStart?.get(startKey) : undefined;
    const wasFirst = firstBuild;
    firstBuild = false;
    const tracked = earlier?.tracked ?? atStart?.tracked;
    const analysis =
      earlier?.analysis ??
      (wasFirst &&
      early !== null &&
      early.listing === atStart &&
      failureOutput === '' &&
      files.length === task.files.length &&
      files.every((f, i) => task.files[i] === f)
        ? early.analysis
        : null);
    if (wasFirst && analysis !== null && analysis === early?.analysis) startAnalysisStats.used++;
    // Only the first build sees the start commit as it is; after the model's edits the file system
    // answers for every file (the outline cache's stat key).
    const startCommit: ContextRequest['startCommit'] = !wasFirst
      ? undefined
      : atStart === undefined
        ? 'list'
        : atStart.blobs === null
          ? undefined
          : { blobs: atStart.blobs };
    const built = await buildContext({
      // `ls-files` converts no content: pinned, without the filter lookup (engine-worktree).
      git: pinnedReadOnly(worktree, git),
      ...(tracked ? { tracked } : {}),
      ...(startCommit ? { startCommit } : {}),
      ...(analysis ? { analysis } : {}),
      notes,
      worktree: worktree.path,
      taskFiles: files,
      taskText,
      budgetTokens: budget,
      repoMap: { cache: outlines, failureOutput },
      ...(explored ? { explored } : {}),
    });
    if (wasFirst && atStart === undefined && deps.trackedAtStart)
      rememberTracked(deps.trackedAtStart, startKey, { tracked: built.tracked, blobs: built.blobs });
    return built;
  };
  const contextFor = async (files: string[]) => (await build(files)).text;
  if (config.agents.explore) {
    record.progress('generate', 0, 'asking the model what to read');
    const first = await build(task.files);
    reusable = { files: task.files, failureOutput, built: first };
    if (first.analysis)
      explored = await explore({
        model: deps.model,
        log: deps.log,
        task: run.brief,
        analysis: first.analysis,
        mapBudgetTokens: budget,
        worktree: worktree.path,
        safety: config.safety,
        context: run.interaction,
        conversationId: run.attempt.id,
        signal,
      });
  }
  let specText = '';
  let plannedFiles = task.files;
  if (task.executor === 'spec') {
    const spec = await specify(run, await contextFor(task.files));
    if (spec.kind === 'refused')
      return end(ending('failed', { reasons: [`the spec was refused twice: ${spec.problems.join('; ')}`] }));
    record.update({ spec: spec.spec });
    specText = `${renderSpecForEdits(spec.spec)}\n\n`;
    plannedFiles = [...new Set([...task.files, ...spec.spec.files])];
  }

  const memory = new CycleMemory();
  let feedback: string | null = null;
  let lastFailureSignature: string | null = null;
  let stopImproving = false;
  let head = baseCommit;
  const maxCycles = config.quality.max_improvement_cycles;
  const reasons: string[] = [];

  for (let cycle = 0; cycle <= maxCycles; cycle++) {
    // The previous cycle's check left its restore waiting: the files are read and edited now.
    await restoreIfChecked(run);
    record.update({ cycles: cycle });
    const cyclesLeft = maxCycles - cycle;
    const built = await build([...new Set([...plannedFiles, ...memory.touched])]);
    // The build listed the index as it is now (the start commit's listing, or `ls-files` after the
    // restore), and nothing stages between it and the commit: the edit's commit can stage in place.
    // The set is the one the repo map's ranking keeps with that list (rank-index): no copy of 10k paths.
    const edited = await editStep(
      run,
      cycle,
      { context: specText + built.text, history: memory.history, feedback, rewriteAllowed: memory.rewriteAllowed },
      trackedSet(built.tracked),
    );
    if (edited.kind === 'end') return end(edited.ending);
    if (edited.kind === 'feedback') {
      memory.notApplied(cycle, edited.summary, edited.missed, edited.problems[0] ?? '');
      feedback = truncateFeedback(edited.problems.join('\n'));
      reasons.push(`cycle ${cycle}: edits could not be applied: ${edited.problems[0] ?? ''}`);
      if (cyclesLeft === 0)
        return end(ending('rejected', { decision: 'reject', reasons: [...reasons, 'no improvement cycles left'] }));
      continue;
    }
    memory.committed(cycle, edited.summary, edited.files, edited.linesAdded, edited.linesRemoved);
    if (edited.head) head = edited.head;
    record.update({ headCommit: head });

    record.progress('check', cycle, 'running the checks on the change');
    // Whether the change touched a manifest or lock file decides if its checks need an install of
    // their own. Every file that differs from the base was written by a cycle of this attempt, so when
    // none of those is a dependency file the diff cannot hold one: git computes it (for the score and
    // the review) beside the checks instead of before them.
    const diffing = diffOnce(run, baseCommit, head);
    const changedDependencyFiles =
      dependencyFilesIn(memory.touched).length === 0
        ? []
        : dependencyFilesIn((await diffing).stats.files.map((f) => f.path));
    const checked = await runChecksOnChange({
      checks: deps.checks,
      dependencies: deps.dependencies,
      workspace,
      worktree,
      head,
      attemptId: run.attempt.id,
      base: run.dependencies,
      changedDependencyFiles,
      signal,
    });
    const checksAfter = checked.outcomes;
    if (checked.note !== null) reasons.push(`cycle ${cycle}: ${checked.note}`);
    // Not restored yet: nothing reads the worktree's files until the next cycle (which restores
    // first) or the pool's reuse (which restores what this check changed); the review and the
    // landing work from commits.
    run.worktreeState.checkedSinceRestore = true;
    record.update({ checksAfter });
    const failing = checksAfter.filter((c) => !c.passed);
    // A check that cannot run after the change: the model's own import of a package that is not installed
    // is feedback; a command or package that vanished otherwise is not an edit's to fix (change-failure.ts).
    let importFeedback: string[] = [];
    if (failing.some((c) => classifyBaseFailure(c).kind === 'environment')) {
      const diff = (await diffOnce(run, baseCommit, head)).text.text;
      const classes = failing.map((c) => classifyChangeFailure(c, diff));
      const broken = classes.flatMap((c) => (c.kind === 'environment' ? [c.reason] : []));
      if (broken.length > 0) return end(ending('failed', { reasons: [...reasons, ...broken] }));
      importFeedback = classes.flatMap((c) => (c.kind === 'model-import' ? [c.feedback] : []));
    }
    if (failing.length > 0 && cyclesLeft > 0) {
      const signature = failing.map((c) => `${c.name}:${c.output.slice(-500)}`).join('|');
      if (signature !== lastFailureSignature) {
        lastFailureSignature = signature;
        feedback = truncateFeedback(
          [...importFeedback, ...failing.map((c) => describeFailure(c, worktree.path))].join('\n\n'),
        );
        failureOutput = failing.map((c) => c.output).join('\n');
        memory.outcome(`${failing.map((c) => c.name).join(', ')} failed`);
        reasons.push(`cycle ${cycle}: ${failing.map((c) => c.name).join(', ')} failing`);
        continue;
      }
      reasons.push(`cycle ${cycle}: the same failure repeated; stopped improving`);
      stopImproving = true;
    }

    const evaluation = await evaluateStage(run, {
      baseCommit,
      head,
      checksBefore,
      checksAfter,
      plannedFiles,
      cycle,
      cyclesLeft: stopImproving ? 0 : cyclesLeft,
      reasons,
    });
    if (evaluation.kind === 'end') return end(evaluation.ending);
    const { breakdown, decision, reviewIssues } = evaluation;
    memory.outcome(`scored ${breakdown.total.toFixed(2)}`);
    const scored = { score: breakdown.total, scoreBreakdown: breakdown };
    if (decision === 'improve') {
      feedback = truncateFeedback(
        [
          `Your change scored ${breakdown.total.toFixed(2)}; it needs ${config.quality.review_threshold} to be considered.`,
          ...breakdown.gates,
          ...reviewIssues.map((i) => `Reviewer: ${i}`),
          `Checks: ${renderChecks(checksBefore, checksAfter)}`,
        ].join('\n'),
      );
      continue;
    }
    if (decision === 'reject') {
      return end(
        ending('rejected', {
          ...scored,
          decision: 'reject',
          reasons: [
            ...reasons,
            `score ${breakdown.total.toFixed(2)} is below quality.review_threshold ${config.quality.review_threshold}`,
          ],
        }),
      );
    }
    if (decision === 'review') {
      return end(
        ending('review', {
          ...scored,
          decision: 'review',
          reasons: [
            ...reasons,
            `score ${breakdown.total.toFixed(2)} is between the review and auto-approve thresholds`,
          ],
        }),
      );
    }
    return next({ breakdown, reasons });
  }
  return end(ending('rejected', { decision: 'reject', reasons: [...reasons, 'no improvement cycles left'] }));
}

/** A failing check as feedback: which check, how it ended, and the part of its output that matters. */
function describeFailure(check: CheckOutcome, worktree: string): string {
  const how = check.timedOut ? ' (timed out)' : ` with exit code ${check.exitCode}`;
  return `Check "${check.name}" (${check.command}) failed${how}:\n${renderFailureDigest(digestFailure(check.output, worktree))}`;
}

/** Start commits whose file list is kept per session (a night starts from a few). */
const MAX_START_LISTS = 8;

function rememberTracked(lists: Map<string, StartListing>, key: string, listing: StartListing): void {
  lists.set(key, listing);
  for (const oldest of lists.keys()) {
    if (lists.size <= MAX_START_LISTS) break;
    lists.delete(oldest);
  }
}
