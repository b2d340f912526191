// One attempt at one task: the pipeline of DESIGN §4. Each stage records its evidence on the attempt;
// any failure ends the attempt with a reason a person can act on and never stops the session. The
// worktree is always removed at the end; the branch stays for attempts waiting for review.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CheckOutcome, ScoreBreakdown } from '../../../src-shared/domain/attempt';
import type { Attempt, Task, Workspace } from '../../../src-shared/domain/records';
import { decideFromScore } from '../../../src-shared/quality/decision';
import { applyEdits } from '../agents/edit-applier';
import { buildContext } from '../agents/context-builder';
import { editsPromptV1 } from '../agents/prompts/edits-v1';
import type { TaskBrief } from '../agents/prompts/prompt-types';
import { reviewPromptV1 } from '../agents/prompts/review-v1';
import { renderSpecForEdits, specPromptV1 } from '../agents/prompts/spec-v1';
import { validateSpec } from '../agents/validate-spec';
import { addWorktree } from '../git/worktree-add';
import { commitAll } from '../git/commit-all';
import { getDiffStats } from '../git/diff-stats';
import { getDiffText } from '../git/diff-text';
import { restoreWorktreeToHead } from '../git/worktree-restore';
import { pinnedGit } from '../git/engine-worktree';
import type { EngineWorktree } from '../git/engine-worktree';
import { repositoryGoneReason } from '../quality/worktree-tamper';
import { cleanUpAttempt } from './attempt-cleanup';
import { checkFinalDiff } from '../safety/final-diff-gate';
import { resolveCommit } from '../git/resolve-ref';
import { editsSchema, reviewSchema, specSchema } from '../llm/protocol';
import { landAttempt } from '../integration/land-attempt';
import { gatedZeroBreakdown, scoreAttempt } from '../quality/score';
import { checkDependencies } from '../deps/dependency-service';
import { runChecksOnChange } from '../deps/checks-on-change';
import { dependencyFilesIn } from '../workspaces/detect-setup';
import { renderChecks } from '../report/render-report';
import type { AttemptDeps, AttemptStage } from './attempt-context';
import type { NocturnalSpec } from '../llm/protocol';

export type AttemptResult = Pick<Attempt, 'id' | 'status' | 'score' | 'decision' | 'reasons'>;

const MAX_FEEDBACK_CHARS = 6000;

export class AttemptRunner {
  constructor(private readonly deps: AttemptDeps) {}

  async run(task: Task, sessionId: string): Promise<AttemptResult> {
    const { store, config, now } = this.deps;
    const workspace = store.workspaces.get(task.workspaceId);
    if (!workspace) throw new Error(`task ${task.id} refers to a missing workspace`);
    store.tasks.transition(task.id, 'running', now());
    const attempt = store.attempts.start(
      { taskId: task.id, sessionId, branchPrefix: config.parallel.branch_prefix, targetBranch: workspace.targetBranch },
      now(),
    );
    const log = this.deps.log.child({ session_id: sessionId, task_id: task.id, attempt_id: attempt.id });
    const worktree = path.join(this.deps.paths.worktrees, workspace.id, attempt.id);
    const timeout = AbortSignal.timeout(config.scheduler.max_task_minutes * 60_000);
    let created: EngineWorktree | null = null;
    try {
      const outcome = await this.work(task, workspace, attempt, worktree, timeout, (wt) => (created = wt));
      await this.writeNote(task, attempt.id, workspace, log);
      return outcome;
    } catch (error) {
      const reason = timeout.aborted
        ? `stopped after scheduler.max_task_minutes (${config.scheduler.max_task_minutes} min)`
        : !existsSync(workspace.path)
          ? repositoryGoneReason(workspace.path)
          : error instanceof Error
          ? error.message
          : String(error);
      log.error({ err: reason }, 'attempt failed');
      const failed = this.finish(task, attempt.id, 'failed', { reasons: [reason] });
      await this.writeNote(task, attempt.id, workspace, log);
      return failed;
    } finally {
      const ended = store.attempts.require(attempt.id);
      await cleanUpAttempt({ git: this.deps.git, ownedRoot: this.deps.paths.worktrees, workspace, attempt: ended, worktreePath: worktree, worktree: created, log, now: now() });
    }
  }

  private async work(task: Task, workspace: Workspace, started: Attempt, worktreeDir: string, signal: AbortSignal, markCreated: (worktree: EngineWorktree) => void): Promise<AttemptResult> {
    const { store, config } = this.deps;
    const progress = (stage: AttemptStage, cycle: number, message: string) =>
      this.deps.onProgress?.({ attemptId: started.id, taskId: task.id, stage, cycle, message });

    progress('prepare', 0, `creating worktree on ${started.branch}`);
    const git = this.deps.git;
    if (!existsSync(workspace.path)) return this.finish(task, started.id, 'failed', { reasons: [repositoryGoneReason(workspace.path)] });
    const baseCommit = await resolveCommit(workspace.path, workspace.baseBranch, git);
    if (!baseCommit) return this.finish(task, started.id, 'failed', { reasons: [`base branch ${workspace.baseBranch} no longer exists in ${workspace.path}`] });
    const added = await addWorktree({ ...git, repoPath: workspace.path, worktreePath: worktreeDir, ownedRoot: this.deps.paths.worktrees, branch: started.branch, base: baseCommit });
    if (added.kind !== 'created') return this.finish(task, started.id, 'failed', { reasons: [`could not create the worktree: ${added.kind}`] });
    // From here on git is told this worktree's git dir; its `.git` file is never read again.
    const worktree = added.worktree;
    markCreated(worktree);
    store.attempts.update(started.id, { worktreePath: worktreeDir, baseCommit, headCommit: baseCommit });

    progress('prepare', 0, 'making sure the dependencies are installed');
    const dependencies = await this.deps.dependencies.ensure(workspace, baseCommit, { signal });
    if (dependencies.kind === 'failed') return this.finish(task, started.id, 'failed', { reasons: [dependencies.reason] });
    const baseDependencies = checkDependencies(dependencies.kind === 'ready' ? dependencies.view : null);

    progress('baseline', 0, 'running the checks on the base commit');
    const cacheKey = `${workspace.id}:${baseCommit}`;
    let checksBefore = this.deps.baselineCache.get(cacheKey);
    if (!checksBefore) {
      checksBefore = await this.deps.checks.run({ worktree, checks: workspace.checks, signal, ...(baseDependencies ? { dependencies: baseDependencies } : {}) });
      this.deps.baselineCache.set(cacheKey, checksBefore);
      await this.restore(worktree);
    }
    store.attempts.update(started.id, { checksBefore });
    // A check that cannot finish on the untouched base cannot judge any change: stop here.
    const hung = checksBefore.filter((c) => c.timedOut);
    if (hung.length > 0) {
      return this.finish(task, started.id, 'failed', {
        reasons: hung.map((c) => `the ${c.name} check (${c.command}) timed out on the base commit after safety.check_timeout_s (${config.safety.check_timeout_s} s); fix the check or raise the limit`),
      });
    }

    const brief: TaskBrief = { title: task.title, description: task.description, criteria: task.criteria, files: task.files, retryNote: task.retryNote };
    const budget = Math.max(256, Math.floor((config.llm.context_size - config.llm.max_tokens) * 0.6));
    const notes = await this.deps.knowledge.workspaceNotes(workspace);
    const context = await buildContext({ git: await pinnedGit(worktree, git), notes, worktree: worktree.path, taskFiles: task.files, taskText: `${task.title} ${task.description}`, budgetTokens: budget });
    const interaction = { sessionId: started.sessionId, taskId: task.id, attemptId: started.id };
    let contextText = context.text;
    let plannedFiles = task.files;
    if (task.executor === 'spec') {
      const spec = await this.specify(task, brief, context.text, worktree.path, interaction, signal, started.id);
      if (spec.kind === 'refused') return this.finish(task, started.id, 'failed', { reasons: [`the spec was refused twice: ${spec.problems.join('; ')}`] });
      store.attempts.update(started.id, { spec: spec.spec });
      contextText = `${renderSpecForEdits(spec.spec)}\n\n${context.text}`;
      plannedFiles = [...new Set([...task.files, ...spec.spec.files])];
    }

    let feedback: string | null = null;
    let lastFailureSignature: string | null = null;
    let stopImproving = false;
    let head = baseCommit;
    let checksAfter: CheckOutcome[] = checksBefore;
    const maxCycles = config.quality.max_improvement_cycles;
    const reasons: string[] = [];

    for (let cycle = 0; cycle <= maxCycles; cycle++) {
      store.attempts.update(started.id, { cycles: cycle });
      const cyclesLeft = maxCycles - cycle;
      progress('generate', cycle, cycle === 0 ? 'asking the model for edits' : 'asking the model to improve');
      const edits = await this.deps.model.call({
        agent: 'direct',
        promptId: editsPromptV1.id,
        messages: editsPromptV1.render({ task: brief, context: contextText, feedback }),
        schema: editsSchema,
        context: interaction,
        conversationId: started.id,
        signal,
      });

      progress('apply', cycle, `applying ${edits.value.edits.length} edit(s)`);
      const applied = await applyEdits(worktree.path, edits.value.edits, config.safety);
      if (applied.kind === 'violation') {
        const gate = gatedZeroBreakdown(applied.reasons.map((r) => `safety violation: ${r}`), config.quality);
        return this.finish(task, started.id, 'rejected', { score: 0, scoreBreakdown: gate, decision: 'reject', reasons: ['safety violation: nothing was written', ...applied.reasons] });
      }
      if (applied.kind === 'limit') return this.finish(task, started.id, 'failed', { reasons: ['the change breaks a safety limit; nothing was committed', ...applied.reasons] });
      if (applied.kind === 'feedback') {
        feedback = truncate(applied.problems.join('\n'));
        reasons.push(`cycle ${cycle}: edits could not be applied: ${applied.problems[0] ?? ''}`);
        if (cyclesLeft === 0) return this.finish(task, started.id, 'rejected', { decision: 'reject', reasons: [...reasons, 'no improvement cycles left'] });
        continue;
      }

      // Only what the edits wrote is staged: nothing else in the worktree can reach a commit.
      const committed = await commitAll({ ...git, worktree, ownedRoot: this.deps.paths.worktrees, message: commitMessage(task, edits.value.summary, cycle), paths: applied.files });
      if (committed.kind === 'committed') head = committed.commit;
      store.attempts.update(started.id, { headCommit: head });

      progress('check', cycle, 'running the checks on the change');
      const changedDependencyFiles = dependencyFilesIn((await getDiffStats(workspace.path, baseCommit, head, git)).files.map((f) => f.path));
      const checked = await runChecksOnChange({ checks: this.deps.checks, dependencies: this.deps.dependencies, workspace, worktree, head, attemptId: started.id, base: dependencies, changedDependencyFiles, signal });
      checksAfter = checked.outcomes;
      if (checked.note !== null) reasons.push(`cycle ${cycle}: ${checked.note}`);
      await this.restore(worktree);
      store.attempts.update(started.id, { checksAfter });
      const failing = checksAfter.filter((c) => !c.passed);
      if (failing.length > 0 && cyclesLeft > 0) {
        const signature = failing.map((c) => `${c.name}:${c.output.slice(-500)}`).join('|');
        if (signature !== lastFailureSignature) {
          lastFailureSignature = signature;
          feedback = truncate(failing.map((c) => `Check "${c.name}" (${c.command}) failed${c.timedOut ? ' (timed out)' : ` with exit code ${c.exitCode}`}:\n${c.output}`).join('\n\n'));
          reasons.push(`cycle ${cycle}: ${failing.map((c) => c.name).join(', ')} failing`);
          continue;
        }
        reasons.push(`cycle ${cycle}: the same failure repeated; stopped improving`);
        stopImproving = true;
      }

      const diff = await getDiffStats(workspace.path, baseCommit, head, git);
      const diffStats = { files: diff.files.length, insertions: diff.insertions, deletions: diff.deletions, paths: diff.files.map((f) => f.path) };
      store.attempts.update(started.id, { diff: diffStats });
      // Defence in depth: the change as committed, whatever produced it, must obey the same rules.
      const violations = checkFinalDiff(diff, config.safety);
      if (violations.length > 0) {
        const gate = gatedZeroBreakdown(violations.map((v) => `safety violation: ${v}`), config.quality);
        return this.finish(task, started.id, 'rejected', { score: 0, scoreBreakdown: gate, decision: 'reject', reasons: [...reasons, 'safety violation: the committed change breaks the safety rules', ...violations] });
      }

      progress('review', cycle, 'asking the model to review the diff');
      let reviewScore: number | null = null;
      let reviewIssues: string[] = [];
      try {
        const diffText = await getDiffText(workspace.path, baseCommit, head, { ...git, maxBytes: 48 * 1024 });
        const review = await this.deps.model.call({
          agent: 'reviewer',
          promptId: reviewPromptV1.id,
          messages: reviewPromptV1.render({ task: brief, diff: diffText.text, checks: renderChecks(checksBefore, checksAfter) }),
          schema: reviewSchema,
          context: interaction,
          signal,
        });
        reviewScore = review.value.score;
        reviewIssues = review.value.issues;
        if (review.value.verdict !== 'approve') reasons.push(`review (${review.value.verdict}): ${reviewIssues.join('; ') || 'no issues listed'}`);
      } catch (error) {
        if (signal.aborted) throw error;
        reasons.push(`review call failed: ${error instanceof Error ? error.message : String(error)}`);
      }

      const breakdown = scoreAttempt(
        { checksBefore, checksAfter, reviewScore, diff: diffStats, plannedFiles, safetyViolations: [], dependencyChanges: dependencyFilesIn(diffStats.paths) },
        config.quality,
        config.safety,
      );
      const decision = decideFromScore(breakdown.total, { autoApprove: config.quality.auto_approve_threshold, review: config.quality.review_threshold }, stopImproving ? 0 : cyclesLeft);
      store.attempts.update(started.id, { score: breakdown.total, scoreBreakdown: breakdown });
      progress('score', cycle, `score ${breakdown.total.toFixed(2)} → ${decision}`);
      for (const gate of breakdown.gates) reasons.push(gate);

      if (decision === 'improve') {
        feedback = truncate(
          [`Your change scored ${breakdown.total.toFixed(2)}; it needs ${config.quality.review_threshold} to be considered.`, ...breakdown.gates, ...reviewIssues.map((i) => `Reviewer: ${i}`), `Checks: ${renderChecks(checksBefore, checksAfter)}`].join('\n'),
        );
        continue;
      }
      if (decision === 'reject') return this.finish(task, started.id, 'rejected', { score: breakdown.total, scoreBreakdown: breakdown, decision: 'reject', reasons: [...reasons, `score ${breakdown.total.toFixed(2)} is below quality.review_threshold ${config.quality.review_threshold}`] });
      if (decision === 'review') return this.finish(task, started.id, 'review', { score: breakdown.total, scoreBreakdown: breakdown, decision: 'review', reasons: [...reasons, `score ${breakdown.total.toFixed(2)} is between the review and auto-approve thresholds`] });
      return this.land(task, workspace, started.id, breakdown, reasons);
    }
    return this.finish(task, started.id, 'rejected', { decision: 'reject', reasons: [...reasons, 'no improvement cycles left'] });
  }

  /** The attempt's note in the knowledge vault; a vault that cannot be written never fails the attempt. */
  private async writeNote(task: Task, attemptId: string, workspace: Workspace, log: AttemptDeps['log']): Promise<void> {
    try {
      await this.deps.knowledge.writeAttemptNote(this.deps.store.tasks.require(task.id), this.deps.store.attempts.require(attemptId), workspace);
    } catch (error) {
      log.warn({ err: String(error) }, 'could not write the attempt note to the knowledge vault');
    }
  }

  /** Checks run model-written code with the worktree writable: put it back to the commit afterwards. */
  private async restore(worktree: EngineWorktree): Promise<void> {
    await restoreWorktreeToHead({ ...this.deps.git, worktree, ownedRoot: this.deps.paths.worktrees });
  }

  /** The spec executor's first step: a spec, validated, with one chance to correct it. */
  private async specify(
    task: Task,
    brief: TaskBrief,
    context: string,
    worktree: string,
    interaction: { sessionId: string | null; taskId: string; attemptId: string },
    signal: AbortSignal,
    attemptId: string,
  ): Promise<{ kind: 'ok'; spec: NocturnalSpec } | { kind: 'refused'; problems: string[] }> {
    let feedback: string | null = null;
    let problems: string[] = [];
    for (let round = 0; round < 2; round++) {
      this.deps.onProgress?.({ attemptId, taskId: task.id, stage: 'generate', cycle: 0, message: round === 0 ? 'asking the model for a spec' : 'asking the model to correct the spec' });
      const reply = await this.deps.model.call({
        agent: 'spec',
        promptId: specPromptV1.id,
        messages: specPromptV1.render({ task: brief, context, feedback }),
        schema: specSchema,
        context: interaction,
        signal,
      });
      problems = await validateSpec(reply.value, worktree, this.deps.config.safety);
      if (problems.length === 0) return { kind: 'ok', spec: reply.value };
      feedback = problems.join('\n');
    }
    return { kind: 'refused', problems };
  }

  private async land(task: Task, workspace: Workspace, attemptId: string, breakdown: ScoreBreakdown, reasons: string[]): Promise<AttemptResult> {
    const { store, config } = this.deps;
    const scored = { score: breakdown.total, scoreBreakdown: breakdown };
    if (this.deps.mergedThisNight() >= config.scheduler.max_changes_per_night) {
      return this.finish(task, attemptId, 'review', { ...scored, decision: 'held', reasons: [...reasons, `scheduler.max_changes_per_night (${config.scheduler.max_changes_per_night}) reached: held for review`] });
    }
    this.deps.onProgress?.({ attemptId, taskId: task.id, stage: 'land', cycle: 0, message: `merging into ${workspace.targetBranch}` });
    const landed = await landAttempt(workspace, task, store.attempts.require(attemptId), this.deps.now(), this.deps.git);
    if (landed.kind === 'merged') {
      return this.finish(task, attemptId, 'merged', { ...scored, decision: 'merge', mergedCommit: landed.commit, backupRef: landed.backupRef, reasons: [...reasons, `score ${breakdown.total.toFixed(2)} ≥ ${config.quality.auto_approve_threshold}: ${landed.note}`] });
    }
    return this.finish(task, attemptId, 'review', { ...scored, decision: 'held', reasons: [...reasons, landed.reason] });
  }

  private finish(task: Task, attemptId: string, status: 'merged' | 'review' | 'rejected' | 'failed', changes: Parameters<AttemptDeps['store']['attempts']['transition']>[3]): AttemptResult {
    const { store, now } = this.deps;
    // One transaction: a crash can never leave the attempt finished and its task still `running`.
    const attempt = store.db.transaction(() => {
      const ended = store.attempts.transition(attemptId, status, now(), changes);
      store.tasks.transition(task.id, status, now(), { reason: ended.reasons.at(-1) ?? null });
      if (status === 'merged') store.interactions.recordApproval(attemptId, 'auto-approved', ended.reasons.at(-1) ?? null);
      if (status === 'rejected') store.interactions.recordApproval(attemptId, 'auto-rejected', ended.reasons.at(-1) ?? null);
      return ended;
    })();
    this.deps.onProgress?.({ attemptId, taskId: task.id, stage: 'done', cycle: attempt.cycles, message: `${status}${attempt.score !== null ? ` (score ${attempt.score.toFixed(2)})` : ''}` });
    return { id: attempt.id, status: attempt.status, score: attempt.score, decision: attempt.decision, reasons: attempt.reasons };
  }
}

function commitMessage(task: Task, summary: string, cycle: number): string {
  const title = `nocturnal: ${task.title}`.slice(0, 72);
  return `${title}\n\n${summary.trim() || '(no summary)'}\n\nTask: ${task.id}${cycle > 0 ? `\nImprovement cycle: ${cycle}` : ''}`;
}

function truncate(text: string): string {
  return text.length <= MAX_FEEDBACK_CHARS ? text : `${text.slice(0, MAX_FEEDBACK_CHARS / 2)}\n[…]\n${text.slice(-MAX_FEEDBACK_CHARS / 2)}`;
}
