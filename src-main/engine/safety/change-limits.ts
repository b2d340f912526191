// Size limits on one planned change (DESIGN §7 "Limits"), checked before anything is written so that
// a runaway edit is refused as a whole. Every violation names the config field it broke, so the
// reason shown to the user and fed back to the model says which knob to turn.
import type { SafetyConfig } from '../../../src-shared/config/schema';
import { countChangedLines } from './line-diff';

export type FileContent = string | Uint8Array;

export interface PlannedFileChange {
  /** Repo-relative path, already accepted by the path guard. */
  path: string;
  action: 'write' | 'replace' | 'delete';
  /** Content after the change; required unless action is 'delete'. */
  newContent?: FileContent | null;
  /** Content before the change; null or absent for a new file. */
  oldContent?: FileContent | null;
}

export type ChangeLimitName = 'max_file_changes' | 'max_changed_lines' | 'max_file_bytes' | 'binary_content';

export interface ChangeLimitViolation {
  limit: ChangeLimitName;
  detail: string;
  path?: string;
}

export interface ChangeStats {
  /** Files whose content really changes (identical rewrites do not count). */
  files: number;
  linesAdded: number;
  linesRemoved: number;
  /** False when counting stopped early because the line limit was already exceeded. */
  exact: boolean;
}

export type ChangeLimitResult =
  { ok: true; stats: ChangeStats } | { ok: false; violations: ChangeLimitViolation[]; stats: ChangeStats };

export type ChangeLimits = Pick<SafetyConfig, 'max_file_changes' | 'max_changed_lines' | 'max_file_bytes'>;

export function checkChangeLimits(changes: readonly PlannedFileChange[], limits: ChangeLimits): ChangeLimitResult {
  const violations: ChangeLimitViolation[] = [];
  const stats: ChangeStats = { files: 0, linesAdded: 0, linesRemoved: 0, exact: true };

  for (const change of mergeByPath(changes)) {
    const after = change.action === 'delete' ? null : change.newContent;
    if (after === undefined || (after === null && change.action !== 'delete')) {
      throw new TypeError(`planned ${change.action} of ${change.path} has no new content`);
    }
    const before = change.oldContent ?? null;
    if (after !== null && before !== null && sameContent(before, after)) continue;
    stats.files++;

    if (after !== null) {
      const bytes = typeof after === 'string' ? Buffer.byteLength(after, 'utf8') : after.byteLength;
      if (bytes > limits.max_file_bytes) {
        violations.push({
          limit: 'max_file_bytes',
          path: change.path,
          detail: `${change.path} would be ${bytes} bytes; safety.max_file_bytes is ${limits.max_file_bytes}`,
        });
      }
      const binary = binaryReason(after);
      if (binary !== null) {
        violations.push({
          limit: 'binary_content',
          path: change.path,
          detail: `${change.path} ${binary}; edits write text files only`,
        });
        continue;
      }
    }

    const budget = limits.max_changed_lines - (stats.linesAdded + stats.linesRemoved);
    const count = countChangedLines(asText(before), asText(after), Math.max(budget, 0));
    if (count.exact) {
      stats.linesAdded += count.added;
      stats.linesRemoved += count.removed;
    } else {
      stats.exact = false;
      stats.linesAdded += count.atLeast;
    }
  }

  const changedLines = stats.linesAdded + stats.linesRemoved;
  if (changedLines > limits.max_changed_lines) {
    violations.push({
      limit: 'max_changed_lines',
      detail: `the change adds and removes ${stats.exact ? '' : 'at least '}${changedLines} lines; safety.max_changed_lines is ${limits.max_changed_lines}`,
    });
  }
  if (stats.files > limits.max_file_changes) {
    violations.push({
      limit: 'max_file_changes',
      detail: `the change touches ${stats.files} files; safety.max_file_changes is ${limits.max_file_changes}`,
    });
  }
  return violations.length === 0 ? { ok: true, stats } : { ok: false, violations, stats };
}

/** Why content is not text we accept, or null: a NUL byte, invalid UTF-8, or a lone surrogate. */
export function binaryReason(content: FileContent): string | null {
  if (typeof content === 'string') {
    if (content.includes('\0')) return 'contains a NUL byte';
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(content)) {
      return 'contains text that cannot be encoded as UTF-8 (a lone surrogate)';
    }
    return null;
  }
  if (content.includes(0)) return 'contains a NUL byte';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content);
    return null;
  } catch {
    return 'is not valid UTF-8';
  }
}

/** Several edits of one file in a plan are one file change: first old content, last new content. */
function mergeByPath(changes: readonly PlannedFileChange[]): PlannedFileChange[] {
  const byPath = new Map<string, PlannedFileChange>();
  for (const change of changes) {
    const earlier = byPath.get(change.path);
    byPath.set(change.path, earlier ? { ...change, oldContent: earlier.oldContent } : change);
  }
  return [...byPath.values()];
}

function asText(content: FileContent | null): string {
  if (content === null) return '';
  return typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content);
}

function sameContent(a: FileContent, b: FileContent): boolean {
  return Buffer.from(a).equals(Buffer.from(b));
}
