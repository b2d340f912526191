// A cgroup per check run, holding the process and memory caps (./check-limits), removed after the run.
// cgroup v1: beside this process's own cgroup. cgroup v2: under a cgroup that enables the controller
// for its children — not our own, which holds processes (v2's "no internal processes" rule), so in
// practice the root of the tree. Either takes write access to the tree, i.e. root. Where nothing is
// writable (a desktop session, a container with a read-only /sys/fs/cgroup) there is no jail and the
// caller relies on RLIMIT_NPROC. The sandboxed process joins by a tiny shell that writes its own pid into
// each cgroup.procs before exec'ing bubblewrap, so nothing it starts is ever outside. The cgroup files
// are read and written synchronously: a handful of tiny kernel files per check run, where each
// thread-pool round trip cost more than the operation.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CgroupController, CgroupHierarchy } from './cgroup-hierarchies';
import { readCgroupHierarchies } from './cgroup-hierarchies';
import type { CheckLimits } from './check-limits';

export interface CgroupJail {
  /** The cgroup.procs files the check's first process writes its pid into. */
  procsFiles: string[];
  processes: boolean;
  memory: boolean;
  /** After the run: whether the caps were reached. */
  counters(): Promise<{ processLimitHit: boolean; memoryLimitHit: boolean }>;
  /** Kills what is left inside and removes the cgroups; true when all are gone. */
  remove(): Promise<boolean>;
}

interface Slot {
  parent: string;
  version: 1 | 2;
  controllers: CgroupController[];
}

interface Created extends Slot {
  dir: string;
}

/** `sh -c JOIN_SCRIPT nocturnal-join N procs1 … procsN program args…` */
export const JOIN_SCRIPT =
  'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1" || { echo "nocturnal: could not join the check\'s cgroup $1" >&2; exit 125; }; shift; n=$((n - 1)); done; exec "$@"';

export async function createCgroupJail(
  limits: CheckLimits,
  hierarchies?: CgroupHierarchy[],
): Promise<CgroupJail | null> {
  const found = hierarchies ?? (await readCgroupHierarchies());
  const wanted: CgroupController[] = limits.maxMemoryBytes === null ? ['pids'] : ['pids', 'memory'];
  const slots: Slot[] = [];
  for (const controller of wanted) {
    const slot = slotFor(controller, found);
    if (slot === null) continue;
    const same = slots.find((s) => s.parent === slot.parent);
    if (same) same.controllers.push(controller);
    else slots.push(slot);
  }

  const created: Created[] = [];
  for (const slot of slots) {
    const dir = join(slot.parent, `nocturnal-check-${process.pid}-${randomUUID().slice(0, 8)}`);
    try {
      mkdirSync(dir);
    } catch {
      continue;
    }
    try {
      for (const controller of slot.controllers) writeLimit(dir, slot.version, controller, limits);
      created.push({ ...slot, dir });
    } catch {
      await rmdir(dir).catch(() => undefined);
    }
  }
  if (created.length === 0) return null;

  const has = (controller: CgroupController) => created.some((c) => c.controllers.includes(controller));
  return {
    procsFiles: created.map((c) => join(c.dir, 'cgroup.procs')),
    processes: has('pids'),
    memory: has('memory'),
    counters() {
      let processLimitHit = false;
      let memoryLimitHit = false;
      for (const c of created) {
        if (c.controllers.includes('pids')) processLimitHit ||= counter(join(c.dir, 'pids.events'), 'max') > 0;
        if (c.controllers.includes('memory')) {
          memoryLimitHit ||=
            counter(join(c.dir, c.version === 2 ? 'memory.events' : 'memory.oom_control'), 'oom_kill') > 0;
        }
      }
      return Promise.resolve({ processLimitHit, memoryLimitHit });
    },
    async remove() {
      const results = await Promise.all(created.map((c) => removeCgroup(c.dir)));
      return results.every(Boolean);
    },
  };
}

function slotFor(controller: CgroupController, hierarchies: CgroupHierarchy[]): Slot | null {
  const v1 = hierarchies.find((h) => h.version === 1 && h.controllers.includes(controller));
  if (v1) return { parent: v1.ownDir, version: 1, controllers: [controller] };
  const v2 = hierarchies.find((h) => h.version === 2);
  if (!v2) return null;
  // A v2 child gets the controller only where its parent enables it for children. The own cgroup
  // usually cannot (it holds processes), the root cgroup may.
  for (const parent of [v2.ownDir, v2.mountPoint]) {
    const enabled = readOrEmpty(join(parent, 'cgroup.subtree_control'));
    if (enabled.split(/\s+/).includes(controller)) return { parent, version: 2, controllers: [controller] };
  }
  return null;
}

function writeLimit(dir: string, version: 1 | 2, controller: CgroupController, limits: CheckLimits): void {
  if (controller === 'pids') {
    writeFileSync(join(dir, 'pids.max'), `${limits.maxProcesses}\n`);
    return;
  }
  // RAM only: swap is left to the system (v1 memsw and v2 swap.max are not set).
  const bytes = `${limits.maxMemoryBytes}\n`;
  writeFileSync(join(dir, version === 2 ? 'memory.max' : 'memory.limit_in_bytes'), bytes);
}

/** `key N` from a flat keyed cgroup file; 0 when absent. */
function counter(file: string, key: string): number {
  const match = new RegExp(`^${key} (\\d+)$`, 'm').exec(readOrEmpty(file));
  return match ? Number(match[1]) : 0;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function removeCgroup(dir: string): Promise<boolean> {
  // The PID namespace ends with the check, but its processes may take a moment to be reaped; what
  // escaped the process group (a new session) is killed here by pid, or all at once where v2 can.
  for (let tries = 0; tries < 50; tries++) {
    try {
      // Usually empty by now, and removed at the first try.
      if (tries === 0) rmdirSync(dir);
      else await rmdir(dir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    }
    const kill = join(dir, 'cgroup.kill');
    if (existsSync(kill)) {
      await writeFile(kill, '1').catch(() => undefined);
    } else {
      const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => ''))
        .split('\n')
        .filter((p) => /^\d+$/.test(p));
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    await new Promise((done) => setTimeout(done, 20));
  }
  return false;
}
