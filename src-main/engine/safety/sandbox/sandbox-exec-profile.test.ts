import { describe, expect, it } from 'vitest';
import { buildSandboxExecProfile } from './sandbox-exec-profile';

describe('buildSandboxExecProfile', () => {
  const profile = buildSandboxExecProfile({
    worktree: '/Users/u/Library/Application Support/nocturnal-agent/worktrees/t1-1',
    tempDir: '/private/var/folders/xy/T/nocturnal-check-abc',
    readPaths: ['/Users/u/.npm', '/Users/u/code/repo/.git'],
    hiddenPaths: ['/Users/u', '/Users/u/Library/Application Support/nocturnal-agent', '/Users/u/code/repo/.git/config'],
  });
  const rules = profile.split('\n').filter((l) => !l.startsWith(';'));

  it('is a version 1 profile that denies all networking', () => {
    expect(rules[0]).toBe('(version 1)');
    expect(rules).toContain('(deny network*)');
    expect(profile).not.toMatch(/allow network/);
  });

  it('denies every write, then allows the worktree, the temp folder and harmless devices', () => {
    const denyWrite = rules.indexOf('(deny file-write*)');
    const allowWrite = rules.indexOf('(allow file-write*');
    expect(denyWrite).toBeGreaterThan(0);
    expect(allowWrite).toBeGreaterThan(denyWrite);
    const allowed = rules
      .slice(allowWrite, rules.indexOf('  (regex #"^/dev/tty") (regex #"^/dev/fd/"))') + 1)
      .join('\n');
    expect(allowed).toContain('(subpath "/Users/u/Library/Application Support/nocturnal-agent/worktrees/t1-1")');
    expect(allowed).toContain('(subpath "/private/var/folders/xy/T/nocturnal-check-abc")');
    expect(allowed).toContain('(literal "/dev/null")');
    expect(allowed).not.toContain('"/Users/u"');
  });

  it('denies reading hidden paths and allows what is shown, the most specific path last (Seatbelt: the last match wins)', () => {
    const reads = rules.filter((l) => l.includes('file-read*'));
    expect(reads).toEqual([
      '(deny file-read* (subpath "/Users/u"))',
      '(allow file-read* (subpath "/Users/u/.npm"))',
      '(allow file-read* (subpath "/Users/u/code/repo/.git"))',
      '(deny file-read* (subpath "/Users/u/code/repo/.git/config"))',
      '(allow file-read* (subpath "/private/var/folders/xy/T/nocturnal-check-abc"))',
      '(deny file-read* (subpath "/Users/u/Library/Application Support/nocturnal-agent"))',
      '(allow file-read* (subpath "/Users/u/Library/Application Support/nocturnal-agent/worktrees/t1-1"))',
    ]);
    expect(rules.indexOf(reads[0] as string)).toBeGreaterThan(rules.indexOf('(deny file-write*)'));
  });

  it('denies the keychain services', () => {
    expect(profile).toMatch(/\(deny mach-lookup \(global-name "com.apple.SecurityServer"\)/);
  });

  it('escapes quotes and backslashes in paths', () => {
    const tricky = buildSandboxExecProfile({ worktree: '/w/a"b\\c', tempDir: '/t', readPaths: [], hiddenPaths: [] });
    expect(tricky).toContain('(subpath "/w/a\\"b\\\\c")');
    expect(tricky).not.toContain('file-read*');
  });

  it("keeps the worktree's .git file read-only although the worktree is writable (the last matching rule wins)", () => {
    const worktree = '/Users/u/nocturnal/worktrees/t1-1';
    const locked = buildSandboxExecProfile({
      worktree,
      tempDir: '/t',
      readPaths: [`${worktree}/.git`, '/Users/u/code/repo/.git'],
      hiddenPaths: [],
    });
    const lines = locked.split('\n');
    const allow = lines.indexOf('(allow file-write*');
    const deny = lines.lastIndexOf('(deny file-write*');
    expect(deny).toBeGreaterThan(allow);
    expect(lines[deny + 1]).toBe(`  (literal "${worktree}/.git") (subpath "${worktree}/.git")`);
    // Read paths outside the worktree need no such rule: writes there are denied already.
    expect(locked.match(/deny file-write\*/g)).toHaveLength(2);
  });
});
