// Containment of absolute, already-resolved paths: the question the path guard asks of a symlink's
// target and the sandbox asks of its mounts. path.relative does the comparison, so `/a/bc` is not
// within `/a/b`, and a name that merely starts with '..' is not mistaken for a way out.
import { isAbsolute, relative, sep } from 'node:path';

/** True when `child` is `parent` itself or lies below it. */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
