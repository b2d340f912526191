// Matches repo-relative paths against `safety.protected_paths`. Semantics follow .gitignore, which is
// what users expect from a list of globs in a repository: a pattern without a slash (`.env*`) names a
// file or folder at any depth; a pattern with one (`.github/workflows/**`) is anchored at the root;
// and protecting a folder protects everything below it, so every ancestor of the path is tried too.
// picomatch's own `basename` option ignores slash-containing patterns, so the split is done here.
import picomatch from 'picomatch';

export type PathMatcher = (relPath: string) => string | null;

export function createProtectedMatcher(
  patterns: readonly string[],
  options: { caseInsensitive: boolean },
): PathMatcher {
  const pmOptions = { dot: true, nocase: options.caseInsensitive };
  const compiled = patterns.map((raw) => {
    const anchored = raw.replace(/^\/+/, '').replace(/\/+$/, '');
    const byName = !anchored.includes('/');
    return { raw, byName, test: picomatch(anchored, pmOptions) };
  });
  return (relPath) => {
    const segments = relPath.split('/');
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/');
      const name = segments[depth - 1] ?? '';
      for (const pattern of compiled) {
        if (pattern.test(pattern.byName ? name : prefix)) return pattern.raw;
      }
    }
    return null;
  };
}
