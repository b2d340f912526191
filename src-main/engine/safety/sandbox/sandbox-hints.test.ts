import { describe, expect, it } from 'vitest';
import { sandboxHint } from './sandbox-hints';

const failed = (stderr: string, exitCode = 1) => ({ exitCode, stderr, stdout: '' });

describe('sandboxHint', () => {
  it.each([
    ["EROFS: read-only file system, open '/usr/lib/x'", /read-only outside the worktree/],
    ['touch: cannot touch /etc/x: Read-only file system', /read-only outside the worktree/],
    ['Error: EACCES: permission denied', /homes are hidden/],
    ['Error: connect ECONNREFUSED 127.0.0.1:5432', /network is off/],
    ['getaddrinfo EAI_AGAIN registry.npmjs.org', /network is off/],
    ['curl: (6) Could not resolve host: example.com', /network is off/],
    ['connect ENETUNREACH 1.2.3.4:443', /network is off/],
    ['sh: 1: pnpm: not found', /sandbox_read_paths/],
    ['sh: 1: Cannot fork', /number of processes and threads a check may run is capped/],
    ['bash: fork: retry: Resource temporarily unavailable', /processes and threads .* capped/],
    ['Error: spawn node EAGAIN', /processes and threads .* capped/],
    [
      "bwrap: Can't mount tmpfs on /newroot/x: No such file or directory",
      /bubblewrap could not set the sandbox up \(bwrap: Can't mount/,
    ],
  ])('explains %j', (stderr, note) => {
    const hint = sandboxHint(failed(stderr), 'bubblewrap');
    expect(hint).toMatch(/^note: ran inside the sandbox \(bubblewrap\): /);
    expect(hint).toMatch(note);
  });

  it('names several causes at once', () => {
    expect(sandboxHint(failed('EROFS here\nECONNREFUSED there'), 'bubblewrap')).toMatch(
      /read-only.*; the network is off/,
    );
  });

  it('explains exit status 127 even without a message', () => {
    expect(sandboxHint(failed('', 127), 'bubblewrap')).toMatch(/sandbox_read_paths/);
  });

  it('says nothing on success, without a sandbox, or for ordinary failures', () => {
    expect(sandboxHint({ exitCode: 0, stderr: 'EROFS', stdout: '' }, 'bubblewrap')).toBeNull();
    expect(sandboxHint(failed('EROFS'), 'none')).toBeNull();
    expect(sandboxHint(failed('AssertionError: expected 1 to be 2'), 'bubblewrap')).toBeNull();
  });
});
