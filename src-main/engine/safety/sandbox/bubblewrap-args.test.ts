import { describe, expect, it } from 'vitest';
import { isWithin } from '../path-within';
import { buildBubblewrapArgs, nprocScript } from './bubblewrap-args';
import type { BubblewrapLayout } from './bubblewrap-args';

const layout: BubblewrapLayout = {
  worktree: '/home/u/.local/share/nocturnal-agent/worktrees/t1-1',
  home: '/tmp/home',
  emptyFile: '/tmp/nocturnal-check-x/empty',
  hidden: [
    { path: '/home/u', kind: 'dir' },
    { path: '/run', kind: 'dir' },
    { path: '/home/u/.local/share/nocturnal-agent', kind: 'dir' },
    { path: '/home/u/code/repo/.git/config', kind: 'file' },
    { path: '/home/u/.local/share/nocturnal-agent/worktrees/t1-1/.env', kind: 'file' },
  ],
  readOnly: ['/home/u/code/repo/.git/worktrees/t1-1', '/home/u/code/repo/.git', '/home/u/.npm'],
  disableUserns: true,
  maxProcesses: null,
};

/** Index of the option `flag` whose first operand is `operand`. */
function at(args: string[], flag: string, operand: string): number {
  const i = args.findIndex((a, n) => a === flag && args[n + 1] === operand);
  if (i < 0) throw new Error(`${flag} ${operand} missing from ${args.join(' ')}`);
  return i;
}

describe('buildBubblewrapArgs', () => {
  const args = buildBubblewrapArgs(layout, 'npm test');

  it('isolates: every namespace (network off), no capabilities, no new user namespaces, own session, dies with the engine', () => {
    for (const flag of ['--unshare-all', '--unshare-user', '--disable-userns', '--die-with-parent', '--new-session'])
      expect(args).toContain(flag);
    expect(args).not.toContain('--share-net');
    expect(args[at(args, '--cap-drop', 'ALL') + 1]).toBe('ALL');
  });

  it('leaves out --disable-userns where bubblewrap cannot do it', () => {
    const plain = buildBubblewrapArgs({ ...layout, disableUserns: false }, 'true');
    expect(plain).not.toContain('--disable-userns');
    expect(plain).not.toContain('--unshare-user');
  });

  it('mounts / read-only first, then fresh /dev, /proc and a private /tmp', () => {
    const root = at(args, '--ro-bind', '/');
    expect(args[root + 2]).toBe('/');
    expect(at(args, '--dev', '/dev')).toBeGreaterThan(root);
    expect(at(args, '--proc', '/proc')).toBeGreaterThan(root);
    expect(at(args, '--tmpfs', '/tmp')).toBeGreaterThan(root);
  });

  it('applies hidden, read-only and writable paths so that the most specific one wins', () => {
    const hideHome = at(args, '--tmpfs', '/home/u');
    const hideEngine = at(args, '--tmpfs', '/home/u/.local/share/nocturnal-agent');
    const gitCommon = at(args, '--ro-bind-try', '/home/u/code/repo/.git');
    const gitDir = at(args, '--ro-bind-try', '/home/u/code/repo/.git/worktrees/t1-1');
    const worktree = at(args, '--bind', layout.worktree);
    const masks = args.flatMap((a, i) => (a === layout.emptyFile ? [i] : []));
    expect(masks.map((i) => args[i + 1])).toEqual(['/home/u/code/repo/.git/config', `${layout.worktree}/.env`]);
    const [maskConfig, maskEnv] = masks as [number, number];
    // the hidden home under the repository's .git, the .git under its masked config
    expect(hideHome).toBeLessThan(gitCommon);
    expect(gitCommon).toBeLessThan(maskConfig);
    expect(gitCommon).toBeLessThan(gitDir);
    // the hidden engine home under the worktree, the worktree under its masked .env
    expect(hideEngine).toBeLessThan(worktree);
    expect(worktree).toBeLessThan(maskEnv);
    expect(args.filter((a) => a === '--bind')).toHaveLength(1);
  });

  it('keeps what is hidden hidden under a broader read path, and the worktree writable inside it', () => {
    const broad = buildBubblewrapArgs({ ...layout, readOnly: ['/home'] }, 'true');
    expect(at(broad, '--ro-bind-try', '/home')).toBeLessThan(at(broad, '--tmpfs', '/home/u'));
    expect(at(broad, '--tmpfs', '/home/u/.local/share/nocturnal-agent')).toBeLessThan(
      at(broad, '--bind', layout.worktree),
    );
  });

  it('lets the worktree win a tie with a hidden path, and hiding win a tie with reading', () => {
    const tie = buildBubblewrapArgs(
      {
        ...layout,
        hidden: [
          { path: layout.worktree, kind: 'dir' },
          { path: '/opt/x', kind: 'dir' },
        ],
        readOnly: ['/opt/x'],
      },
      'true',
    );
    expect(at(tie, '--tmpfs', layout.worktree)).toBeLessThan(at(tie, '--bind', layout.worktree));
    expect(at(tie, '--ro-bind-try', '/opt/x')).toBeLessThan(at(tie, '--tmpfs', '/opt/x'));
  });

  it('creates HOME, starts in the worktree and runs the command through /bin/sh -c', () => {
    expect(args[at(args, '--dir', '/tmp/home') + 1]).toBe('/tmp/home');
    expect(args[at(args, '--chdir', layout.worktree) + 1]).toBe(layout.worktree);
    expect(args.slice(-4)).toEqual(['--', '/bin/sh', '-c', 'npm test']);
  });

  it('lowers RLIMIT_NPROC in the sandbox shell before running the command, when asked', () => {
    const limited = buildBubblewrapArgs({ ...layout, maxProcesses: 64 }, 'npm test');
    const tail = limited.slice(limited.indexOf('--') + 1);
    expect(tail).toEqual(['/bin/sh', '-c', nprocScript(64), 'nocturnal-limits', 'npm test']);
    expect(nprocScript(64)).toMatch(
      /^n=64; .*ulimit -u "\$n".*\|\| ulimit -p "\$n".*exit 126.*exec \/bin\/sh -c "\$1"$/,
    );
  });

  it('knows what lies within what', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b', '/a/b/c')).toBe(true);
    expect(isWithin('/a/b', '/a/bc')).toBe(false);
    expect(isWithin('/', '/x')).toBe(true);
  });
});
