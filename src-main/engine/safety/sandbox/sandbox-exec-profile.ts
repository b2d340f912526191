// The macOS Seatbelt profile for `sandbox-exec -p PROFILE /bin/sh -c CHECK`. macOS has no mount
// namespaces, so instead of hiding by mounting over, reads of hidden paths are denied; and there is no
// network namespace, so all networking is denied — loopback included, since the host's loopback is
// where LM Studio, `nocturnal serve` and the user's own services listen. In Seatbelt the last
// matching rule wins, which is what lets the worktree and read paths show through a hidden home.
// Written and tested as text only: there is no macOS in CI.
import { orderViews } from './path-views';
import type { PathView } from './path-views';

export interface SandboxExecProfileOptions {
  /** realpath of the worktree (on macOS, /var → /private/var matters). */
  worktree: string;
  /** The run's private temp folder (HOME and TMPDIR live in it). */
  tempDir: string;
  readPaths: readonly string[];
  hiddenPaths: readonly string[];
  /** Allow the network: only the dependency setup (DESIGN §9b). */
  network?: boolean;
}

export function buildSandboxExecProfile(options: SandboxExecProfileOptions): string {
  const subpaths = (paths: readonly string[]) => paths.map((p) => `  (subpath ${quote(p)})`).join('\n');
  const lines = [
    '(version 1)',
    '(allow default)',
    ...(options.network === true
      ? ['; the dependency setup: the one phase allowed the network']
      : ['; no network at all: no namespaces on macOS, so loopback would be the host loopback', '(deny network*)']),
    '; keychain and credential services',
    '(deny mach-lookup (global-name "com.apple.SecurityServer") (global-name "com.apple.securityd") (global-name "com.apple.security.agent"))',
    '; writes only to the worktree, the private temp folder and harmless devices',
    '(deny file-write*)',
    '(allow file-write*',
    subpaths([options.worktree, options.tempDir]),
    '  (literal "/dev/null") (literal "/dev/zero") (literal "/dev/dtracehelper")',
    '  (regex #"^/dev/tty") (regex #"^/dev/fd/"))',
  ];
  // Read paths inside the worktree (its `.git` file) stay read-only, as bubblewrap's more specific
  // read-only bind makes them: a check must not redirect the engine's git.
  const lockedInside = options.readPaths.filter((p) => p.startsWith(`${options.worktree}/`));
  if (lockedInside.length > 0) {
    lines.push("; the worktree's git wiring is read-only even though the worktree is writable");
    lines.push('(deny file-write*', ...lockedInside.map((p) => `  (literal ${quote(p)}) (subpath ${quote(p)})`), ')');
  }
  // Reads: hidden paths denied, the worktree, temp folder and read paths allowed, the most specific
  // path winning (./path-views) — the engine home is hidden but the worktree inside it is not.
  const views: PathView[] = [
    ...options.hiddenPaths.map((path): PathView => ({ path, view: 'hidden', kind: 'dir' })),
    ...options.readPaths.map((path): PathView => ({ path, view: 'read-only' })),
    { path: options.worktree, view: 'writable' },
    { path: options.tempDir, view: 'writable' },
  ];
  if (options.hiddenPaths.length > 0) {
    lines.push(
      '; reads: homes and the engine home (database, config, other worktrees) hidden; the most specific path wins',
    );
    for (const v of orderViews(views))
      lines.push(`(${v.view === 'hidden' ? 'deny' : 'allow'} file-read* (subpath ${quote(v.path)}))`);
  }
  return `${lines.join('\n')}\n`;
}

/** A Seatbelt string literal. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
