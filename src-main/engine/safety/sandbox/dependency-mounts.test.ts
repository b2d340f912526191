import { describe, expect, it } from 'vitest';
import { buildBubblewrapArgs } from './bubblewrap-args';
import type { BubblewrapLayout } from './bubblewrap-args';
import { dependencyMountArgs } from './dependency-mounts';

const worktree = '/h/nocturnal/worktrees/w1/t1-1';
const cache = '/h/nocturnal/deps/w1/0123456789abcdef';
const layout: BubblewrapLayout = {
  worktree,
  home: '/tmp/home',
  emptyFile: '/tmp/x/empty',
  hidden: [{ path: '/h/nocturnal', kind: 'dir' }],
  readOnly: [cache],
  disableUserns: false,
  maxProcesses: null,
};

describe('dependency mounts in the bubblewrap layout', () => {
  it('binds each install read-only into the worktree, after the worktree itself so they show through it', () => {
    const args = buildBubblewrapArgs(
      { ...layout, dependencyMounts: [{ source: `${cache}/node_modules`, target: 'node_modules' }] },
      'npm test',
    );
    const worktreeBind = args.findIndex((a, i) => a === '--bind' && args[i + 1] === worktree);
    const depsBind = args.findIndex((a, i) => a === '--ro-bind' && args[i + 1] === `${cache}/node_modules`);
    expect(args.slice(depsBind, depsBind + 3)).toEqual([
      '--ro-bind',
      `${cache}/node_modules`,
      `${worktree}/node_modules`,
    ]);
    expect(depsBind).toBeGreaterThan(worktreeBind);
    // The cache folder itself stays readable (a virtualenv's scripts name it) inside the hidden home.
    expect(args.findIndex((a, i) => a === '--ro-bind-try' && args[i + 1] === cache)).toBeGreaterThan(
      args.indexOf('--tmpfs', args.indexOf('/h/nocturnal') - 1),
    );
    expect(args).not.toContain('--share-net');
  });

  it('shares the network only when asked (the setup phase)', () => {
    const args = buildBubblewrapArgs({ ...layout, network: true }, 'npm ci');
    expect(args.slice(0, 2)).toEqual(['--unshare-all', '--share-net']);
  });

  it('refuses targets outside the worktree or in .git', () => {
    expect(() => dependencyMountArgs(worktree, [{ source: cache, target: '../other' }])).toThrow(
      'must be a path inside the worktree',
    );
    expect(() => dependencyMountArgs(worktree, [{ source: cache, target: '/etc' }])).toThrow(
      'must be a path inside the worktree',
    );
    expect(() => dependencyMountArgs(worktree, [{ source: cache, target: '.git/hooks' }])).toThrow('not .git');
    expect(() => dependencyMountArgs(worktree, [{ source: cache, target: '.' }])).toThrow(
      'must be a path inside the worktree',
    );
  });
});
