// The one thing the dependency setup (DESIGN §9b) adds to the sandbox layout: the installed
// dependencies, shown read-only inside the worktree where the tools expect them (node_modules, .venv)
// without a copy on disk. A bind mount from the cache folder onto the same name in the worktree; the
// worktree's own file at that name, if it has one, is covered for the run. These binds come after
// every other mount, because they sit inside the worktree, which is itself a mount.
import { isAbsolute, join, normalize } from 'node:path';

export interface DependencyMount {
  /** Host path in the dependency cache (a folder or file). */
  source: string;
  /** Where the check sees it: a path relative to the worktree (node_modules, .venv). */
  target: string;
}

/** What a check run gets from the dependency cache: the binds, the cache shown read-only, tool env. */
export interface CheckDependencies {
  mounts: DependencyMount[];
  /** Shown read-only at their own paths (a virtualenv's scripts name its real folder in their #! line). */
  readPaths: string[];
  env: Record<string, string>;
}

export function dependencyMountArgs(worktree: string, mounts: readonly DependencyMount[]): string[] {
  return mounts.flatMap((m) => {
    const inside = normalize(m.target);
    if (
      inside === '.' ||
      inside.startsWith('..') ||
      isAbsolute(inside) ||
      inside === '.git' ||
      inside.startsWith('.git/')
    ) {
      throw new Error(`dependency mount target "${m.target}" must be a path inside the worktree, not .git`);
    }
    return ['--ro-bind', m.source, join(worktree, inside)];
  });
}
