// Prompts are versioned: each file is one version of one call, and its id is stored with every
// interaction so a report can say which prompt produced which change. A changed prompt is a new file.
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface PromptVersion<Input> {
  id: string;
  render(input: Input): ChatMessage[];
}

export interface TaskBrief {
  title: string;
  description: string;
  criteria: string[];
  files: string[];
  retryNote: string | null;
}

export function renderTaskBrief(task: TaskBrief): string {
  const lines = [`# Task\n${task.title}`];
  if (task.description) lines.push(`## Description\n${task.description}`);
  if (task.criteria.length > 0) lines.push(`## Acceptance criteria\n${task.criteria.map((c) => `- ${c}`).join('\n')}`);
  if (task.files.length > 0) lines.push(`## Files named by the task\n${task.files.map((f) => `- ${f}`).join('\n')}`);
  if (task.retryNote) lines.push(`## Note from the reviewer of an earlier attempt\n${task.retryNote}`);
  return lines.join('\n\n');
}
