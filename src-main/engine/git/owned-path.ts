// The engine may only write into directories it created itself (DESIGN §2 principle 1). Every write
// operation on a working tree takes the engine's root for worktrees and refuses paths outside it.
// Paths are compared after resolving symlinks (macOS tmpdirs live behind /var → /private/var), and for
// paths that do not exist yet, through their nearest existing ancestor.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { NocturnalError } from '../errors/nocturnal-error';

export function canonicalPath(p: string): Promise<string> {
  return Promise.resolve(canonicalPathSync(p));
}

/** Synchronous: called before every git write on a worktree, where a round trip cost more than realpath. */
function canonicalPathSync(p: string): string {
  const absolute = path.resolve(p);
  const rest: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      const real = realpathSync(current);
      return rest.length === 0 ? real : path.join(real, ...rest.reverse());
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return absolute;
      rest.push(path.basename(current));
      current = parent;
    }
  }
}

/** True when `child` is strictly inside `parent` (not equal to it). Both are canonicalized. */
export function isStrictlyInside(child: string, parent: string): Promise<boolean> {
  const c = canonicalPathSync(child);
  const p = canonicalPathSync(parent);
  const relative = path.relative(p, c);
  return Promise.resolve(
    relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative),
  );
}

export async function samePath(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([canonicalPath(a), canonicalPath(b)]);
  return x === y;
}

/** Throws when `target` is not strictly inside `ownedRoot`: calling with such a path is an engine bug. */
export async function assertOwnedPath(target: string, ownedRoot: string, what: string): Promise<void> {
  if (!(await isStrictlyInside(target, ownedRoot))) {
    throw new NocturnalError(
      'runtime',
      `refusing to touch ${what} ${target}: it is not inside the engine's own directory ${ownedRoot}`,
    );
  }
}
