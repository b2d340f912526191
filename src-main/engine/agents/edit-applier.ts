// Applies a `nocturnal_edits` reply to an attempt's worktree, all or nothing:
//  1. every path passes the path guard (a refusal is a safety violation: the attempt is rejected);
//  2. every edit is resolved in memory (a search that does not match is feedback for the model);
//  3. the whole change passes the size limits (a breach fails the attempt, naming the limit);
//  4. only then is anything written, with the symlink-proof writer.
import fs from 'node:fs/promises';
import type { SafetyConfig } from '../../../src-shared/config/schema';
import type { NocturnalEdits } from '../llm/protocol';
import { checkChangeLimits } from '../safety/change-limits';
import type { PlannedFileChange } from '../safety/change-limits';
import { createPathGuard } from '../safety/path-guard';
import { writeRegularFile } from '../safety/safe-write';
import { locateSearch } from './locate-search';

export type ApplyResult =
  | {
      kind: 'applied';
      files: string[];
      /** Those of `files` that did not exist before: the commit stages them with `add` (commit-all). */
      created: string[];
      linesAdded: number;
      linesRemoved: number;
    }
  /** `missed`: files where a replace's search text was not found (the loop counts misses per file). */
  | { kind: 'feedback'; problems: string[]; missed: string[] }
  | { kind: 'violation'; reasons: string[] }
  | { kind: 'limit'; reasons: string[] };

interface PlannedFile {
  absolutePath: string;
  relPath: string;
  oldContent: string | null;
  newContent: string | null;
  touched: boolean;
}

export async function applyEdits(
  worktree: string,
  edits: NocturnalEdits['edits'],
  safety: Pick<SafetyConfig, 'protected_paths' | 'max_file_changes' | 'max_changed_lines' | 'max_file_bytes'>,
): Promise<ApplyResult> {
  if (edits.length === 0)
    return {
      kind: 'feedback',
      problems: ['the reply contained no edits; make the change the task asks for'],
      missed: [],
    };
  const guard = await createPathGuard(worktree, { protectedPaths: safety.protected_paths });
  const files = new Map<string, PlannedFile>();
  const violations: string[] = [];
  const problems: string[] = [];
  const missed: string[] = [];

  for (const [index, edit] of edits.entries()) {
    const label = `edits[${index}] (${edit.action} ${edit.path})`;
    const checked = await guard.check(edit.path);
    if (!checked.ok) {
      violations.push(`${label}: refused by the path guard: ${checked.reason}`);
      continue;
    }
    let file = files.get(checked.relPath);
    if (!file) {
      const oldContent = await readIfExists(checked.absolutePath);
      file = {
        absolutePath: checked.absolutePath,
        relPath: checked.relPath,
        oldContent,
        newContent: oldContent,
        touched: false,
      };
      files.set(checked.relPath, file);
    }
    if (edit.action === 'write') {
      if (edit.content === undefined) {
        problems.push(`${label}: a write needs "content" with the whole new file`);
        continue;
      }
      file.newContent = edit.content;
    } else if (edit.action === 'delete') {
      if (file.newContent === null) {
        problems.push(`${label}: there is no file ${checked.relPath} to delete`);
        continue;
      }
      file.newContent = null;
    } else {
      if (edit.search === undefined || edit.replace === undefined) {
        problems.push(`${label}: a replace needs both "search" and "replace"`);
        continue;
      }
      if (file.newContent === null) {
        problems.push(`${label}: ${checked.relPath} does not exist; use action "write" to create it`);
        continue;
      }
      const found = locateSearch(file.newContent, edit.search);
      if (found.kind === 'ambiguous') {
        problems.push(
          `${label}: the search text occurs ${found.count} times in ${checked.relPath}; include more surrounding lines so it matches once`,
        );
        continue;
      }
      if (found.kind === 'missing') {
        const hint = found.nearest
          ? ` The closest region in the current file is:\n${numberLines(found.nearest.text, found.nearest.firstLine)}`
          : '';
        missed.push(checked.relPath);
        problems.push(`${label}: the search text was not found in ${checked.relPath}.${hint}`);
        continue;
      }
      file.newContent = file.newContent.slice(0, found.start) + edit.replace + file.newContent.slice(found.end);
    }
    file.touched = true;
  }

  if (violations.length > 0) return { kind: 'violation', reasons: violations };
  if (problems.length > 0) return { kind: 'feedback', problems, missed };

  const planned: PlannedFileChange[] = [...files.values()]
    .filter((f) => f.touched)
    .map((f) => ({
      path: f.relPath,
      action: f.newContent === null ? 'delete' : f.oldContent === null ? 'write' : 'replace',
      newContent: f.newContent,
      oldContent: f.oldContent,
    }));
  const limits = checkChangeLimits(planned, safety);
  if (!limits.ok) return { kind: 'limit', reasons: limits.violations.map((v) => `${v.limit}: ${v.detail}`) };
  if (limits.stats.files === 0)
    return { kind: 'feedback', problems: ['the edits change nothing: every file stays as it was'], missed: [] };

  const written: string[] = [];
  const created: string[] = [];
  for (const file of files.values()) {
    if (!file.touched || file.newContent === file.oldContent) continue;
    // Re-check right before writing: an earlier write in this loop cannot have created a link, but
    // the guard is cheap and this is the last line of defence.
    const again = await guard.check(file.relPath);
    if (!again.ok) return { kind: 'violation', reasons: [`${file.relPath}: ${again.reason}`] };
    if (file.newContent === null) await fs.rm(again.absolutePath, { force: true });
    else await writeRegularFile(again.absolutePath, file.newContent);
    written.push(file.relPath);
    if (file.oldContent === null) created.push(file.relPath);
  }
  return {
    kind: 'applied',
    files: written,
    created,
    linesAdded: limits.stats.linesAdded,
    linesRemoved: limits.stats.linesRemoved,
  };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    const stat = await fs.lstat(file);
    if (!stat.isFile()) return null;
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Lines prefixed with their 1-based numbers, so the model can tell where in the file a region is. */
export function numberLines(text: string, firstLine = 1): string {
  return text
    .split('\n')
    .map((line, i) => `${String(firstLine + i).padStart(4)}| ${line}`)
    .join('\n');
}
