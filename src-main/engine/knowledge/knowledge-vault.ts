// The knowledge vault (DESIGN §4; the pattern sheet's Obsidian vault): a folder of Markdown a person
// can open in Obsidian or any editor. Two kinds of note:
//  - workspaces/<name>.md — written by the user (a template is created on `workspace add`): conventions,
//    commands, pitfalls. Read before every attempt and put into the prompt, secrets redacted.
//  - attempts/<YYYY-MM-DD>/<attempt>.md — written by the engine when an attempt ends: what was asked,
//    what happened and why, with front matter for search and a link back to the workspace note.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Attempt, Task, Workspace } from '../../../src-shared/domain/records';
import { createRedactor } from '../log/redact';
import type { Redactor } from '../log/redact';
import { renderBreakdown } from '../report/render-breakdown';

const MAX_NOTE_CHARS = 8000;

export interface KnowledgeVaultOptions {
  enabled: boolean;
  root: string;
  /** The engine's redaction (patterns and the configured key); patterns only when absent. */
  redactor?: Redactor;
}

export class KnowledgeVault {
  private readonly redactor: Redactor;

  constructor(private readonly options: KnowledgeVaultOptions) {
    this.redactor = options.redactor ?? createRedactor();
  }

  get root(): string {
    return this.options.root;
  }

  /** The user's notes for a workspace, redacted and capped, or null when there are none. */
  async workspaceNotes(workspace: Pick<Workspace, 'name'>): Promise<string | null> {
    if (!this.options.enabled) return null;
    let text: string;
    try {
      text = await fs.readFile(this.workspaceNotePath(workspace.name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    const body = stripTemplateHint(text).trim();
    if (body === '' || body === `# ${workspace.name}`) return null;
    const capped =
      body.length > MAX_NOTE_CHARS
        ? `${body.slice(0, MAX_NOTE_CHARS)}\n(…the rest of the note was left out: it is longer than ${MAX_NOTE_CHARS} characters)`
        : body;
    return this.redactor.text(capped);
  }

  /** Creates the workspace's note from a template; an existing note is never touched. */
  async ensureWorkspaceNote(workspace: Pick<Workspace, 'name'>): Promise<string | null> {
    if (!this.options.enabled) return null;
    const file = this.workspaceNotePath(workspace.name);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const template = [`# ${workspace.name}`, '', templateHint, '', ''].join('\n');
    try {
      await fs.writeFile(file, template, { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    return file;
  }

  /** Records how an attempt ended. Returns the note's path (null when the vault is off). */
  async writeAttemptNote(task: Task, attempt: Attempt, workspace: Pick<Workspace, 'name'>): Promise<string | null> {
    if (!this.options.enabled) return null;
    const day = (attempt.endedAt ?? attempt.startedAt).slice(0, 10);
    const file = path.join(this.options.root, 'attempts', day, `${attempt.id}.md`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const lines = [
      '---',
      `task: ${task.id}`,
      `attempt: ${attempt.id}`,
      `workspace: ${JSON.stringify(workspace.name)}`,
      `status: ${attempt.status}`,
      `decision: ${attempt.decision ?? 'none'}`,
      `score: ${attempt.score ?? 'none'}`,
      `branch: ${JSON.stringify(attempt.branch)}`,
      `started: ${attempt.startedAt}`,
      `ended: ${attempt.endedAt ?? 'running'}`,
      '---',
      '',
      `# ${task.title}`,
      '',
      `Workspace: [[workspaces/${workspace.name}]]`,
      '',
    ];
    if (task.description) lines.push(task.description, '');
    if (task.criteria.length > 0) lines.push('## Acceptance criteria', ...task.criteria.map((c) => `- ${c}`), '');
    lines.push(`## Result: ${attempt.status}`, '');
    if (attempt.scoreBreakdown) {
      lines.push(`Score ${attempt.scoreBreakdown.total}: ${renderBreakdown(attempt.scoreBreakdown)}.`, '');
    }
    if (attempt.checksAfter)
      lines.push(
        '## Checks',
        ...attempt.checksAfter.map(
          (c) => `- ${c.name} (\`${c.command}\`): ${c.passed ? 'pass' : c.timedOut ? 'timed out' : 'fail'}`,
        ),
        '',
      );
    if (attempt.diff) lines.push('## Files changed', ...attempt.diff.paths.map((p) => `- ${p}`), '');
    if (attempt.reasons.length > 0)
      lines.push('## Why', ...attempt.reasons.map((r) => `- ${r.split('\n')[0] ?? ''}`), '');
    await fs.writeFile(file, this.redactor.text(lines.join('\n')));
    return file;
  }

  private workspaceNotePath(name: string): string {
    return path.join(this.options.root, 'workspaces', `${name}.md`);
  }
}

const templateHint =
  '> Notes for Nocturnal Agent: coding conventions, how to run things, what to avoid. Everything below this line is read before every attempt on this workspace (secrets are redacted, but keep them out anyway).';

function stripTemplateHint(text: string): string {
  return text.replace(templateHint, '');
}
