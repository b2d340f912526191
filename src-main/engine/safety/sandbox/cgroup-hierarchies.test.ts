import { describe, expect, it } from 'vitest';
import { parseCgroupHierarchies } from './cgroup-hierarchies';

const mount = (id: number, root: string, point: string, type: string, options: string) =>
  `${id} 23 0:${id} ${root} ${point} rw,relatime - ${type} ${type} ${options}`;

describe('parseCgroupHierarchies', () => {
  it('reads a hybrid v1 + v2 layout (controllers per hierarchy, the own cgroup as a host folder)', () => {
    const cgroup = ['8:pids:/', '4:memory:/process_api/abc', '2:cpu,cpuacct:/', '0::/'].join('\n');
    const mountinfo = [
      mount(31, '/', '/sys/fs/cgroup', 'tmpfs', 'rw,mode=755'),
      mount(35, '/', '/sys/fs/cgroup/memory', 'cgroup', 'rw,memory'),
      mount(39, '/', '/sys/fs/cgroup/pids', 'cgroup', 'rw,pids'),
      mount(32, '/', '/sys/fs/cgroup/cpu,cpuacct', 'cgroup', 'rw,cpu,cpuacct'),
      mount(41, '/', '/sys/fs/cgroup/unified', 'cgroup2', 'rw'),
    ].join('\n');
    expect(parseCgroupHierarchies(cgroup, mountinfo)).toEqual([
      { version: 1, controllers: ['pids'], ownDir: '/sys/fs/cgroup/pids', mountPoint: '/sys/fs/cgroup/pids' },
      {
        version: 1,
        controllers: ['memory'],
        ownDir: '/sys/fs/cgroup/memory/process_api/abc',
        mountPoint: '/sys/fs/cgroup/memory',
      },
      {
        version: 1,
        controllers: ['cpu', 'cpuacct'],
        ownDir: '/sys/fs/cgroup/cpu,cpuacct',
        mountPoint: '/sys/fs/cgroup/cpu,cpuacct',
      },
      { version: 2, controllers: [], ownDir: '/sys/fs/cgroup/unified', mountPoint: '/sys/fs/cgroup/unified' },
    ]);
  });

  it('reads a pure v2 layout, and a mount that shows only a subtree (a container)', () => {
    const cgroup = '0::/user.slice/user-1000.slice/session-2.scope\n';
    expect(parseCgroupHierarchies(cgroup, mount(30, '/', '/sys/fs/cgroup', 'cgroup2', 'rw,nsdelegate'))).toEqual([
      {
        version: 2,
        controllers: [],
        ownDir: '/sys/fs/cgroup/user.slice/user-1000.slice/session-2.scope',
        mountPoint: '/sys/fs/cgroup',
      },
    ]);
    const scoped = mount(30, '/user.slice', '/sys/fs/cgroup', 'cgroup2', 'rw');
    expect(parseCgroupHierarchies(cgroup, scoped)[0]?.ownDir).toBe('/sys/fs/cgroup/user-1000.slice/session-2.scope');
    expect(parseCgroupHierarchies('0::/elsewhere\n', scoped)).toEqual([]);
  });

  it('finds nothing without cgroup mounts, and unescapes mount points', () => {
    expect(parseCgroupHierarchies('0::/\n', mount(1, '/', '/', 'ext4', 'rw'))).toEqual([]);
    expect(parseCgroupHierarchies('0::/a\n', mount(2, '/', '/mnt/with\\040space', 'cgroup2', 'rw'))[0]?.ownDir).toBe(
      '/mnt/with space/a',
    );
  });
});
