// The last look before an attempt is scored and landed: every path in the committed diff (base..head)
// against the same rules edits pass before they are written — .git, protected paths, change limits,
// binary content. Edits are guarded file by file as they are applied, but the worktree is writable by
// the checks too. The attempt runner restores the worktree after every check run (before its files are
// read or edited again) and stages only the paths its edits wrote, so a check's leftovers (a hostile
// test's `.github/workflows/x.yml`) should never reach a commit; judging the committed diff itself
// closes that path whatever wrote the file.
import type { SafetyConfig } from '../../../src-shared/config/schema';
import type { DiffStats } from '../git/diff-stats';
import { normaliseEditPath } from './path-guard';
import { createProtectedMatcher } from './protected-matcher';

export type FinalDiffLimits = Pick<SafetyConfig, 'protected_paths' | 'max_file_changes' | 'max_changed_lines'>;

/** Violations as sentences naming the path and the setting; empty when the diff is acceptable. */
export function checkFinalDiff(
  diff: DiffStats,
  safety: FinalDiffLimits,
  options: { caseInsensitive?: boolean } = {},
): string[] {
  const isProtected = createProtectedMatcher(safety.protected_paths, {
    caseInsensitive: options.caseInsensitive ?? process.platform !== 'linux',
  });
  const violations: string[] = [];
  for (const file of diff.files) {
    for (const path of file.oldPath === null ? [file.path] : [file.oldPath, file.path]) {
      const lexical = normaliseEditPath(path);
      if (!lexical.ok) {
        violations.push(`the committed change touches ${JSON.stringify(path)}, which no edit may: ${lexical.reason}`);
        continue;
      }
      const pattern = isProtected(lexical.relPath);
      if (pattern !== null)
        violations.push(
          `the committed change touches ${JSON.stringify(path)}, which matches safety.protected_paths pattern ${JSON.stringify(pattern)}`,
        );
    }
    if (file.binary)
      violations.push(
        `the committed change contains the binary file ${JSON.stringify(file.path)}; edits write text only`,
      );
  }
  if (diff.files.length > safety.max_file_changes) {
    violations.push(
      `the committed change touches ${diff.files.length} files, more than safety.max_file_changes ${safety.max_file_changes}`,
    );
  }
  const lines = diff.insertions + diff.deletions;
  if (lines > safety.max_changed_lines)
    violations.push(
      `the committed change has ${lines} changed lines, more than safety.max_changed_lines ${safety.max_changed_lines}`,
    );
  return violations;
}
