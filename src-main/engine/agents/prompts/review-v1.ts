import type { PromptVersion, TaskBrief } from './prompt-types';
import { renderTaskBrief } from './prompt-types';

export interface ReviewPromptInput {
  task: TaskBrief;
  diff: string;
  /** One line per check: name, before → after. */
  checks: string;
}

export const reviewPromptV1: PromptVersion<ReviewPromptInput> = {
  id: 'review-v1',
  render(input) {
    const system = [
      'You are a strict code reviewer. Judge whether the diff completes the task correctly, safely and minimally.',
      "The check results are facts measured by running the repository's own checks; do not contradict them.",
      'Reply with one JSON object matching the nocturnal_review schema and nothing else:',
      '{"score": number between 0 and 1, "verdict": "approve"|"revise"|"reject", "issues": [string]}',
      'score 0.9+ only for a correct, complete, well-tested change; list every concrete problem in issues.',
    ].join('\n');
    const user = [
      renderTaskBrief(input.task),
      `# Checks (before → after)\n${input.checks}`,
      `# Diff\n\`\`\`diff\n${input.diff}\n\`\`\``,
    ].join('\n\n');
    return [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ];
  },
};
