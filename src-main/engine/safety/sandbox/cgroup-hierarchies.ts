// Where this process sits in the cgroup trees, as host folders: /proc/self/cgroup names the cgroup
// per hierarchy, /proc/self/mountinfo says where each hierarchy is mounted. Pure parsing, so the
// v1, v2 and hybrid layouts can be tested as text; the reading is one small function.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CgroupController = 'pids' | 'memory';

export interface CgroupHierarchy {
  version: 1 | 2;
  /** v1: the controllers bound to this hierarchy; v2: empty (read cgroup.subtree_control instead). */
  controllers: string[];
  /** Host folder of this process's own cgroup. */
  ownDir: string;
  /** Host folder of the hierarchy's mount (its root, as far as this mount shows). */
  mountPoint: string;
}

interface Mount {
  root: string;
  mountPoint: string;
  fsType: string;
  superOptions: string[];
}

/** One line of /proc/self/mountinfo; fields after the `-` separator are type, source, super options. */
function parseMountLine(line: string): Mount | null {
  const fields = line.split(' ');
  const dash = fields.indexOf('-');
  if (dash < 6 || fields.length < dash + 4) return null;
  return {
    root: unescapeMount(fields[3] as string),
    mountPoint: unescapeMount(fields[4] as string),
    fsType: fields[dash + 1] as string,
    superOptions: (fields[dash + 3] as string).split(','),
  };
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

export function parseCgroupHierarchies(procSelfCgroup: string, mountinfo: string): CgroupHierarchy[] {
  const mounts = mountinfo
    .split('\n')
    .map(parseMountLine)
    .filter((m): m is Mount => m !== null && (m.fsType === 'cgroup' || m.fsType === 'cgroup2'));
  const hierarchies: CgroupHierarchy[] = [];
  for (const line of procSelfCgroup.split('\n')) {
    const match = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (match === null) continue;
    const [, id, list, path] = match as unknown as [string, string, string, string];
    const v2 = id === '0' && list === '';
    const controllers = v2 ? [] : list.split(',').filter((c) => c !== '');
    const mount = mounts.find((m) =>
      v2
        ? m.fsType === 'cgroup2'
        : m.fsType === 'cgroup' && controllers.length > 0 && controllers.every((c) => m.superOptions.includes(c)),
    );
    if (mount === undefined) continue;
    // The mount may show only a subtree (a cgroup namespace, a container): the own path must lie in it.
    const relative =
      mount.root === '/'
        ? path
        : path === mount.root
          ? '/'
          : path.startsWith(`${mount.root}/`)
            ? path.slice(mount.root.length)
            : null;
    if (relative === null) continue;
    hierarchies.push({
      version: v2 ? 2 : 1,
      controllers,
      ownDir: relative === '/' ? mount.mountPoint : join(mount.mountPoint, relative),
      mountPoint: mount.mountPoint,
    });
  }
  return hierarchies;
}

/** Read synchronously: two small kernel-made files, read before every check run. */
export function readCgroupHierarchies(): Promise<CgroupHierarchy[]> {
  try {
    return Promise.resolve(
      parseCgroupHierarchies(readFileSync('/proc/self/cgroup', 'utf8'), readFileSync('/proc/self/mountinfo', 'utf8')),
    );
  } catch {
    // Not Linux, or /proc is not there: no cgroups to use.
    return Promise.resolve([]);
  }
}
