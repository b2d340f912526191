// What the morning review shows: the list of waiting changes (`review list --json`) and one change in
// full (`review:get`): the diff by file and hunk, the checks before and after, the score breakdown and
// the model's own review.
import { z } from 'zod';
import { attemptDecisionSchema, checkOutcomeSchema, diffStatsSchema, scoreBreakdownSchema } from './attempt';
import { attemptSchema, taskSchema, timestampSchema } from './records';

export const reviewItemSchema = z.object({
  attemptId: z.string(),
  taskId: z.string(),
  title: z.string(),
  workspace: z.string(),
  score: z.number().nullable(),
  decision: attemptDecisionSchema.nullable(),
  branch: z.string(),
  targetBranch: z.string(),
  reasons: z.array(z.string()),
  diff: diffStatsSchema.nullable(),
  endedAt: timestampSchema.nullable(),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

/** One line of a hunk: `context` (' '), `add` ('+') or `remove` ('-'), without its marker. */
export const diffLineSchema = z.object({
  kind: z.enum(['context', 'add', 'remove']),
  text: z.string(),
  /** Line numbers in the old and the new file (null where the line does not exist on that side). */
  oldLine: z.number().int().nullable(),
  newLine: z.number().int().nullable(),
});
export type DiffLine = z.infer<typeof diffLineSchema>;

export const diffHunkSchema = z.object({
  /** The `@@ -a,b +c,d @@ section` line as git wrote it. */
  header: z.string(),
  oldStart: z.number().int(),
  oldLines: z.number().int(),
  newStart: z.number().int(),
  newLines: z.number().int(),
  lines: z.array(diffLineSchema),
});
export type DiffHunk = z.infer<typeof diffHunkSchema>;

export const diffFileSchema = z.object({
  /** The path after the change (the old path for a deletion). */
  path: z.string(),
  /** Set for renames (the path before). */
  oldPath: z.string().nullable(),
  change: z.enum(['added', 'modified', 'deleted', 'renamed']),
  binary: z.boolean(),
  insertions: z.number().int(),
  deletions: z.number().int(),
  hunks: z.array(diffHunkSchema),
});
export type DiffFile = z.infer<typeof diffFileSchema>;

export const attemptDiffSchema = z.object({
  from: z.string(),
  to: z.string(),
  files: z.array(diffFileSchema),
  /** The diff was longer than the cap; the last file may be cut short. */
  truncated: z.boolean(),
});
export type AttemptDiff = z.infer<typeof attemptDiffSchema>;

/** One configured check, side by side: on the base (before) and with the change (after). */
export const checkComparisonSchema = z.object({
  name: z.string(),
  command: z.string(),
  before: checkOutcomeSchema.nullable(),
  after: checkOutcomeSchema.nullable(),
  /** passed → failed: a regression (it caps the score); failed → passed: fixed. */
  change: z.enum(['fixed', 'broken', 'still-passing', 'still-failing', 'not-run']),
});
export type CheckComparison = z.infer<typeof checkComparisonSchema>;

/** The model's `nocturnal_review` of the final diff, as stored with the interaction. */
export const modelReviewSchema = z.object({
  score: z.number(),
  verdict: z.enum(['approve', 'revise', 'reject']),
  issues: z.array(z.string()),
  model: z.string(),
  createdAt: timestampSchema,
});
export type ModelReview = z.infer<typeof modelReviewSchema>;

export const reviewDetailSchema = z.object({
  item: reviewItemSchema,
  task: taskSchema,
  attempt: attemptSchema,
  /** Null when the attempt has no commits to compare (it failed before editing). */
  diff: attemptDiffSchema.nullable(),
  checks: z.array(checkComparisonSchema),
  scoreBreakdown: scoreBreakdownSchema.nullable(),
  /** Null when the review call failed or never ran (the reasons say why). */
  review: modelReviewSchema.nullable(),
});
export type ReviewDetail = z.infer<typeof reviewDetailSchema>;
