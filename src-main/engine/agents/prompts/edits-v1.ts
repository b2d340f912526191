import type { PromptVersion, TaskBrief } from './prompt-types';
import { renderTaskBrief } from './prompt-types';

export interface EditsPromptInput {
  task: TaskBrief;
  /** Repository context already fitted to the token budget (file map, file contents, notes). */
  context: string;
  /** What went wrong with the previous round in this attempt, if any. */
  feedback: string | null;
}

export const editsPromptV1: PromptVersion<EditsPromptInput> = {
  id: 'edits-v1',
  render(input) {
    const system = [
      'You are Nocturnal Agent, a careful software engineer who works unattended on a git repository.',
      'Make the smallest change that completes the task and keeps every existing check passing. Add or update tests when you add behaviour.',
      'Reply with one JSON object matching the nocturnal_edits schema and nothing else:',
      '{"summary": string, "edits": [{"path": string, "action": "replace"|"write"|"delete", "search"?: string, "replace"?: string, "content"?: string}]}',
      '- path is relative to the repository root and uses "/".',
      '- "replace" swaps exactly one occurrence of "search" (copy it from the file, with enough lines to be unique) for "replace".',
      '- "write" creates or overwrites the whole file with "content". "delete" removes the file.',
      'Never edit .git, secrets, CI workflows or files outside the repository: such edits are refused and the attempt is rejected.',
    ].join('\n');
    const parts = [renderTaskBrief(input.task), input.context];
    if (input.feedback)
      parts.push(
        `# Result of your previous edits\n${input.feedback}\n\nFix the problem and reply with the complete set of edits to apply on top of the current files.`,
      );
    return [
      { role: 'system', content: system },
      { role: 'user', content: parts.join('\n\n') },
    ];
  },
};
