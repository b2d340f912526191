// The repository context for an edit call, fitted to a token budget. Priority, highest first: files the
// task names, then their tests, then files whose path mentions words of the task, then the file map.
// Lower-priority parts are dropped whole (and the prompt says so) rather than cut mid-file; the token count is an
// estimate here, and the provider's own guard counts exactly before the call.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runGit } from '../git/run-git';
import type { RunGitOptions } from '../git/run-git';
import { relatedTests } from './related-tests';

export interface ContextRequest {
  /** For an attempt worktree: pinned to its recorded git dir (git/engine-worktree's pinnedGit). */
  git: RunGitOptions;
  worktree: string;
  taskFiles: string[];
  taskText: string;
  /** Budget in tokens for the whole context block. */
  budgetTokens: number;
  notes?: string | null;
}

export interface BuiltContext {
  text: string;
  includedFiles: string[];
  omitted: string[];
  estimatedTokens: number;
}

const CHARS_PER_TOKEN = 3.5;
const MAX_FILE_BYTES = 64 * 1024;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

export async function buildContext(request: ContextRequest): Promise<BuiltContext> {
  const tracked = (await runGit(request.worktree, ['ls-files', '-z'], request.git)).stdout.split('\0').filter((f) => f !== '');
  const omitted: string[] = [];
  const sections: string[] = [];
  let used = 0;
  const fits = (text: string) => used + estimateTokens(text) <= request.budgetTokens;
  const add = (text: string) => {
    sections.push(text);
    used += estimateTokens(text);
  };

  if (request.notes) {
    const notes = `# Workspace notes\n${request.notes}`;
    if (fits(notes)) add(notes);
    else omitted.push('workspace notes');
  }

  const words = new Set(request.taskText.toLowerCase().split(/[^a-z0-9_]+/).filter((w) => w.length >= 4));
  // The named files' own tests come right after them: what pins down the code the model will change.
  const tests = [...new Set(request.taskFiles.flatMap((f) => relatedTests(f, tracked)))].filter((f) => !request.taskFiles.includes(f));
  const shown = new Set([...request.taskFiles, ...tests]);
  const related = tracked.filter((f) => !shown.has(f) && [...words].some((w) => f.toLowerCase().includes(w)));
  const includedFiles: string[] = [];
  for (const file of [...request.taskFiles, ...tests, ...related.slice(0, 8)]) {
    const content = await readSmallText(path.join(request.worktree, file));
    const block = content === null ? `## ${file}\n(new file: it does not exist yet)` : `## ${file}\n\`\`\`\n${content}\n\`\`\``;
    if (fits(block)) {
      add(block);
      if (content !== null) includedFiles.push(file);
    } else {
      omitted.push(file);
    }
  }

  const map = `# Files in the repository\n${tracked.join('\n')}`;
  if (fits(map)) add(map);
  else {
    const shortMap = `# Files in the repository (first ${Math.min(tracked.length, 200)} of ${tracked.length})\n${tracked.slice(0, 200).join('\n')}`;
    if (fits(shortMap)) add(shortMap);
    else omitted.push('file map');
  }
  if (omitted.length > 0) sections.push(`(Left out to fit the context window: ${omitted.join(', ')}.)`);
  const text = sections.join('\n\n');
  return { text, includedFiles, omitted, estimatedTokens: estimateTokens(text) };
}

async function readSmallText(file: string): Promise<string | null> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return null;
    if (stat.size > MAX_FILE_BYTES) return `(file of ${stat.size} bytes: too large to include)`;
    const content = await fs.readFile(file, 'utf8');
    return content.includes('\0') ? '(binary file)' : content;
  } catch {
    return null;
  }
}
