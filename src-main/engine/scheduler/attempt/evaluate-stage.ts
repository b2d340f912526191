// Stage 4, evaluate: the committed change as a whole — its diff through the final safety gate, the
// model's review of it, the evidence-based score and the decision that score leads to.
import type { CheckOutcome, DiffStats, ScoreBreakdown } from '../../../../src-shared/domain/attempt';
import { decideFromScore } from '../../../../src-shared/quality/decision';
import type { ScoreDecision } from '../../../../src-shared/quality/decision';
import { reviewPromptV1 } from '../../agents/prompts/review-v1';
import { diffOnce, diffStatsOnce } from './diff-stats-once';
import { reviewSchema } from '../../llm/protocol';
import { isServerUnreachable } from '../../llm/server-unreachable';
import { gatedZeroBreakdown, scoreAttempt } from '../../quality/score';
import { analyzeTestChanges, taskWordsOf } from '../../quality/test-changes';
import { renderChecks } from '../../report/render-report';
import { checkFinalDiff } from '../../safety/final-diff-gate';
import { dependencyFilesIn } from '../../workspaces/detect-setup';
import type { QualityConfig } from '../../../../src-shared/config/schema';
import type { AttemptEnding } from './attempt-recorder';
import { ending } from './attempt-recorder';
import type { ReadyRun } from './attempt-run';

export interface EvaluateInput {
  baseCommit: string;
  head: string;
  checksBefore: CheckOutcome[];
  checksAfter: CheckOutcome[];
  plannedFiles: string[];
  cycle: number;
  /** Cycles left for improvement; 0 when the loop must stop here. */
  cyclesLeft: number;
  /** The attempt's reasons so far; the review's and the score's are appended. */
  reasons: string[];
}

export type Evaluation =
  | { kind: 'end'; ending: AttemptEnding }
  | { kind: 'scored'; breakdown: ScoreBreakdown; decision: ScoreDecision; reviewIssues: string[]; diff: DiffStats };

/** A change stopped by a safety rule: every term 0, with the violations as its gates. */
export function safetyGate(reasons: string[], quality: QualityConfig): ScoreBreakdown {
  return gatedZeroBreakdown(
    reasons.map((r) => `safety violation: ${r}`),
    quality,
  );
}

export async function evaluateStage(run: ReadyRun, input: EvaluateInput): Promise<Evaluation> {
  const { deps, record, signal, brief, interaction } = run;
  const { config } = deps;
  const { reasons } = input;
  const diff = await diffStatsOnce(run, input.baseCommit, input.head);
  const diffStats: DiffStats = {
    files: diff.files.length,
    insertions: diff.insertions,
    deletions: diff.deletions,
    paths: diff.files.map((f) => f.path),
  };
  record.update({ diff: diffStats });
  // Defence in depth: the change as committed, whatever produced it, must obey the same rules.
  const violations = checkFinalDiff(diff, config.safety);
  if (violations.length > 0) {
    return {
      kind: 'end',
      ending: ending('rejected', {
        score: 0,
        scoreBreakdown: safetyGate(violations, config.quality),
        decision: 'reject',
        reasons: [...reasons, 'safety violation: the committed change breaks the safety rules', ...violations],
      }),
    };
  }

  record.progress('review', input.cycle, 'asking the model to review the diff');
  let reviewScore: number | null = null;
  let reviewIssues: string[] = [];
  const diffText = (await diffOnce(run, input.baseCommit, input.head)).text;
  const testChanges = analyzeTestChanges(diffText.text, input.plannedFiles, taskWordsOf(run.task));
  try {
    const review = await deps.model.call({
      agent: 'reviewer',
      promptId: reviewPromptV1.id,
      messages: reviewPromptV1.render({
        task: brief,
        diff: diffText.text,
        checks: renderChecks(input.checksBefore, input.checksAfter),
      }),
      schema: reviewSchema,
      context: interaction,
      signal,
    });
    reviewScore = review.value.score;
    reviewIssues = review.value.issues;
    if (review.value.verdict !== 'approve')
      reasons.push(`review (${review.value.verdict}): ${reviewIssues.join('; ') || 'no issues listed'}`);
  } catch (error) {
    // An aborted attempt or a dead server is not a failed review: let the runner handle it.
    if (signal.aborted || isServerUnreachable(error)) throw error;
    reasons.push(`review call failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  const breakdown = scoreAttempt(
    {
      checksBefore: input.checksBefore,
      checksAfter: input.checksAfter,
      reviewScore,
      diff: diffStats,
      plannedFiles: input.plannedFiles,
      safetyViolations: [],
      dependencyChanges: dependencyFilesIn(diffStats.paths),
      tests: {
        weakening: testChanges.weakening,
        added: testChanges.assertionsAdded > 0 && testChanges.coversCriterion,
      },
    },
    config.quality,
    config.safety,
  );
  const decision = decideFromScore(
    breakdown.total,
    { autoApprove: config.quality.auto_approve_threshold, review: config.quality.review_threshold },
    input.cyclesLeft,
  );
  record.update({ score: breakdown.total, scoreBreakdown: breakdown });
  record.progress('score', input.cycle, `score ${breakdown.total.toFixed(2)} → ${decision}`);
  for (const gate of breakdown.gates) reasons.push(gate);
  return { kind: 'scored', breakdown, decision, reviewIssues, diff: diffStats };
}
