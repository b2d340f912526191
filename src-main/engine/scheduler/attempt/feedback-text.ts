// Text the improve loop writes: the feedback for the next cycle (kept within a size the prompt can
// afford) and the commit message of each cycle's commit.
import type { Task } from '../../../../src-shared/domain/records';

const MAX_FEEDBACK_CHARS = 6000;

export function truncateFeedback(text: string): string {
  return text.length <= MAX_FEEDBACK_CHARS
    ? text
    : `${text.slice(0, MAX_FEEDBACK_CHARS / 2)}\n[…]\n${text.slice(-MAX_FEEDBACK_CHARS / 2)}`;
}

export function commitMessage(task: Task, summary: string, cycle: number): string {
  const title = `nocturnal: ${task.title}`.slice(0, 72);
  return `${title}\n\n${summary.trim() || '(no summary)'}\n\nTask: ${task.id}${cycle > 0 ? `\nImprovement cycle: ${cycle}` : ''}`;
}
