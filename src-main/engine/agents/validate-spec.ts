// A generated spec is checked before anything is executed under it (DESIGN §4 step 2): it must say
// something, its criteria must be testable statements, and every file must be an existing file or a
// new one inside the repository that the path guard would accept.
import type { SafetyConfig } from '../../../src-shared/config/schema';
import type { NocturnalSpec } from '../llm/protocol';
import { createPathGuard } from '../safety/path-guard';

export async function validateSpec(
  spec: NocturnalSpec,
  worktree: string,
  safety: Pick<SafetyConfig, 'protected_paths'>,
): Promise<string[]> {
  const problems: string[] = [];
  if (spec.requirements.filter((r) => r.trim() !== '').length === 0) problems.push('requirements is empty');
  const criteria = spec.acceptance_criteria.filter((c) => c.trim() !== '');
  if (criteria.length === 0) problems.push('acceptance_criteria is empty');
  for (const criterion of criteria) {
    if (criterion.trim().split(/\s+/).length < 3)
      problems.push(`acceptance criterion "${criterion}" is too vague to test`);
  }
  if (spec.plan.filter((p) => p.trim() !== '').length === 0) problems.push('plan is empty');
  if (spec.files.length === 0) problems.push('files is empty: name the files the change will touch');
  const guard = await createPathGuard(worktree, { protectedPaths: safety.protected_paths });
  for (const file of spec.files) {
    const checked = await guard.check(file);
    if (!checked.ok) problems.push(`files: "${file}" is not allowed: ${checked.reason}`);
  }
  return problems;
}
