// An import as written (`./queue`, `../lib/util.js`, `.models`, `pkg.store`) to the tracked file it
// names, so the map can rank the files a named file uses and the files that use it. Packages from
// outside the repository resolve to nothing.
import path from 'node:path';

const scriptExtensions = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];

export function resolveImport(from: string, specifier: string, tracked: ReadonlySet<string>): string | null {
  if (from.endsWith('.py')) return resolvePython(from, specifier, tracked);
  if (!specifier.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  // TypeScript's ESM style imports `./a.js` for `a.ts`.
  const stripped = base.replace(/\.(m|c)?js$/, '');
  const candidates = [
    base,
    ...scriptExtensions.map((e) => stripped + e),
    ...scriptExtensions.map((e) => `${base}/index${e}`),
  ];
  return candidates.find((c) => tracked.has(c)) ?? null;
}

function resolvePython(from: string, specifier: string, tracked: ReadonlySet<string>): string | null {
  const dots = /^\.*/.exec(specifier)?.[0].length ?? 0;
  const rest = specifier
    .slice(dots)
    .split('.')
    .filter((p) => p !== '');
  const roots: string[] = [];
  if (dots > 0) {
    let dir = path.posix.dirname(from);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    roots.push(dir === '.' ? '' : dir);
  } else {
    // Absolute imports: from the repository root or a `src/` layout.
    roots.push('', 'src');
  }
  for (const root of roots) {
    const stem = [root, ...rest].filter((p) => p !== '').join('/');
    for (const candidate of [`${stem}.py`, `${stem}/__init__.py`]) if (tracked.has(candidate)) return candidate;
  }
  return null;
}
