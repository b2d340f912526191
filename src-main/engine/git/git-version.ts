// The git layer needs git ≥ 2.38 (`merge-tree --write-tree`; `worktree list -z` needs 2.36,
// `rev-parse --path-format` 2.31). Checked once at engine start so an old git fails loudly with a
// sentence a person can act on, instead of as an odd usage error in the middle of a night run.
import { runGit } from './run-git';
import type { GitCallOptions } from './run-git';

export const MIN_GIT_VERSION: readonly [number, number, number] = [2, 38, 0];

export type GitVersionCheck = { ok: true; version: string } | { ok: false; version: string | null; reason: string };

export async function checkGitVersion(cwd: string, opts: GitCallOptions = {}): Promise<GitVersionCheck> {
  let raw: string;
  try {
    raw = (await runGit(cwd, ['version'], opts)).stdout.trim();
  } catch (error) {
    return { ok: false, version: null, reason: `git could not be run: ${(error as Error).message}` };
  }
  const parsed = parseGitVersion(raw);
  if (parsed === null) return { ok: false, version: raw, reason: `unrecognised git version string: ${raw}` };
  const needed = MIN_GIT_VERSION.join('.');
  if (compareVersions(parsed, MIN_GIT_VERSION) < 0) {
    return {
      ok: false,
      version: parsed.join('.'),
      reason: `git ${parsed.join('.')} is too old; Nocturnal Agent needs git ${needed} or newer`,
    };
  }
  return { ok: true, version: parsed.join('.') };
}

/** `git version 2.39.5` / `git version 2.45.1.windows.1` / `git version 2.39.3 (Apple Git-146)`. */
export function parseGitVersion(raw: string): [number, number, number] | null {
  const match = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(raw);
  if (!match) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
}

function compareVersions(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
