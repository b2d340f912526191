import type { PromptVersion, TaskBrief } from './prompt-types';
import { renderTaskBrief } from './prompt-types';

export interface SpecPromptInput {
  task: TaskBrief;
  context: string;
  /** Why the previous spec was refused, if it was. */
  feedback: string | null;
}

export const specPromptV1: PromptVersion<SpecPromptInput> = {
  id: 'spec-v1',
  render(input) {
    const system = [
      'You are Nocturnal Agent planning a change before making it. Write a short, testable specification.',
      'Reply with one JSON object matching the nocturnal_spec schema and nothing else:',
      '{"requirements": [string], "acceptance_criteria": [string], "plan": [string], "files": [string]}',
      '- acceptance_criteria: each one something a test or check can verify.',
      '- files: every file the change will touch, relative to the repository root with "/"; existing files or new files inside the repository.',
    ].join('\n');
    const parts = [renderTaskBrief(input.task), input.context];
    if (input.feedback)
      parts.push(`# Your previous specification was refused\n${input.feedback}\nReply with a corrected specification.`);
    return [
      { role: 'system', content: system },
      { role: 'user', content: parts.join('\n\n') },
    ];
  },
};

export function renderSpecForEdits(spec: {
  requirements: string[];
  acceptance_criteria: string[];
  plan: string[];
  files: string[];
}): string {
  const list = (title: string, items: string[]) => `## ${title}\n${items.map((i) => `- ${i}`).join('\n')}`;
  return [
    '# Specification (follow it)',
    list('Requirements', spec.requirements),
    list('Acceptance criteria', spec.acceptance_criteria),
    list('Plan', spec.plan),
    list('Files to touch', spec.files),
  ].join('\n\n');
}
