// The bubblewrap command line for one check. Pure: the mounts are resolved beforehand
// (./sandbox-mounts), so the layout can be read and tested as text. First / read-only, a fresh /dev
// and /proc, and a private tmpfs /tmp (HOME lives there); then each configured path in the order of
// ./path-views, so the most specific one wins:
//   hidden → an empty tmpfs (folders) or an empty read-only file (files): the user's home, /run
//     (sockets such as docker.sock and ssh-agent, which a read-only bind does not stop), the engine's
//     home with its database, config and the other worktrees, the repository's .git/config;
//   read-only → `safety.sandbox_read_paths`, and the repository's .git so git works in a worktree;
//   writable → the worktree, the one place a check can change.
// And: no network (a fresh network namespace holds only its own loopback), no capabilities, no new
// user namespaces where bubblewrap supports refusing them, its own session and PID namespace, and it
// dies with the engine. Where bubblewrap makes its own user namespace, the check's shell first lowers
// RLIMIT_NPROC (./check-limits says why that caps the sandbox alone), soft and hard, so the check
// cannot raise it again.
import { dependencyMountArgs } from './dependency-mounts';
import type { DependencyMount } from './dependency-mounts';
import { orderViews } from './path-views';
import type { PathView } from './path-views';

export interface HiddenPath {
  path: string;
  kind: 'dir' | 'file';
}

export interface BubblewrapLayout {
  /** realpath of the worktree: writable, and the working directory. */
  worktree: string;
  /** HOME inside the sandbox; created inside the private /tmp. */
  home: string;
  hidden: readonly HiddenPath[];
  readOnly: readonly string[];
  /** Add --unshare-user --disable-userns (bubblewrap 0.8+, where the kernel allows). */
  disableUserns: boolean;
  /**
   * An empty host file bound over hidden files. Not /dev/null: bubblewrap's binds are nodev, so a
   * device node there cannot be opened and tools (git reading its config) fail instead of seeing "empty".
   */
  emptyFile: string;
  /** RLIMIT_NPROC inside the sandbox; null leaves it alone (no own user namespace to count in). */
  maxProcesses: number | null;
  /** Keep the host's network: only the dependency setup asks for it (./dependency-mounts, DESIGN §9b). */
  network?: boolean;
  /** Installed dependencies bound read-only into the worktree (./dependency-mounts). */
  dependencyMounts?: readonly DependencyMount[];
}

export function buildBubblewrapArgs(layout: BubblewrapLayout, command: string): string[] {
  const views: PathView[] = [
    ...layout.hidden.map((h): PathView => ({ path: h.path, view: 'hidden', kind: h.kind })),
    ...layout.readOnly.map((path): PathView => ({ path, view: 'read-only' })),
    { path: layout.worktree, view: 'writable' },
  ];
  const mounts = orderViews(views).flatMap((v) => {
    if (v.view === 'writable') return ['--bind', v.path, v.path];
    if (v.view === 'read-only') return ['--ro-bind-try', v.path, v.path];
    return v.kind === 'dir' ? ['--tmpfs', v.path] : ['--ro-bind', layout.emptyFile, v.path];
  });
  return [
    '--unshare-all',
    ...(layout.network === true ? ['--share-net'] : []),
    ...(layout.disableUserns ? ['--unshare-user', '--disable-userns'] : []),
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--hostname',
    'nocturnal-sandbox',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    ...mounts,
    ...dependencyMountArgs(layout.worktree, layout.dependencyMounts ?? []),
    '--dir',
    layout.home,
    '--chdir',
    layout.worktree,
    '--',
    ...(layout.maxProcesses === null
      ? ['/bin/sh', '-c', command]
      : ['/bin/sh', '-c', nprocScript(layout.maxProcesses), 'nocturnal-limits', command]),
  ];
}

/**
 * Sets RLIMIT_NPROC, then runs the check as `sh -c "$1"`. dash spells it `ulimit -p`, bash and
 * busybox `-u`; a hard limit already lower is kept. If it cannot be set the check does not run.
 */
export function nprocScript(max: number): string {
  const n = Math.max(1, Math.floor(max));
  return [
    `n=${n}`,
    'h=$(ulimit -H -u 2>/dev/null || ulimit -H -p 2>/dev/null)',
    'case $h in ""|unlimited) ;; *) [ "$h" -lt "$n" ] && n=$h ;; esac',
    'ulimit -u "$n" 2>/dev/null || ulimit -p "$n" 2>/dev/null || { echo "nocturnal: could not set the sandbox\'s process limit (ulimit)" >&2; exit 126; }',
    'exec /bin/sh -c "$1"',
  ].join('; ');
}
