// edits-v2: as edits-v1, plus what each earlier cycle of the attempt did (the files shown are the
// current ones, with those edits in them) and, after two missed searches on a file, leave to rewrite
// that file whole.
import type { PromptVersion, TaskBrief } from './prompt-types';
import { renderTaskBrief } from './prompt-types';

export interface EditsPromptV2Input {
  task: TaskBrief;
  /** Repository context rebuilt from the worktree for this cycle, fitted to the token budget. */
  context: string;
  /** One line per earlier cycle of this attempt: what it changed and what came of it. */
  history: string[];
  /** What went wrong with the previous cycle, if anything. */
  feedback: string | null;
  /** Files whose search text was missed twice: the model may send a `write` with the whole file. */
  rewriteAllowed: string[];
}

export const editsPromptV2: PromptVersion<EditsPromptV2Input> = {
  id: 'edits-v2',
  render(input) {
    const system = [
      'You are Nocturnal Agent, a careful software engineer who works unattended on a git repository.',
      'Make the smallest change that completes the task and keeps every existing check passing. Add or update tests when you add behaviour; never weaken or skip existing tests.',
      'Reply with one JSON object matching the nocturnal_edits schema and nothing else:',
      '{"summary": string, "edits": [{"path": string, "action": "replace"|"write"|"delete", "search"?: string, "replace"?: string, "content"?: string}]}',
      '- path is relative to the repository root and uses "/".',
      '- "replace" swaps exactly one occurrence of "search" (copy it from the file as shown now, with enough lines to be unique) for "replace".',
      '- "write" creates a new file with "content". "delete" removes the file.',
      'Never edit .git, secrets, CI workflows or files outside the repository: such edits are refused and the attempt is rejected.',
    ].join('\n');
    const parts = [renderTaskBrief(input.task), input.context];
    if (input.history.length > 0) {
      parts.push(
        `# Your earlier cycles in this attempt (their edits are already in the files shown above)\n${input.history.map((h) => `- ${h}`).join('\n')}`,
      );
    }
    if (input.feedback) parts.push(`# Result of your previous edits\n${input.feedback}`);
    if (input.rewriteAllowed.length > 0) {
      parts.push(
        `# Whole-file rewrite allowed\nYour search text missed twice in ${input.rewriteAllowed.join(', ')}. You may now send one "write" edit with the complete new content of ${input.rewriteAllowed.length === 1 ? 'that file' : 'those files'} instead of "replace".`,
      );
    }
    if (input.feedback || input.history.length > 0)
      parts.push('Reply with the edits to apply on top of the current files shown above.');
    return [
      { role: 'system', content: system },
      { role: 'user', content: parts.join('\n\n') },
    ];
  },
};
