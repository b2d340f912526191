import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkGitVersion, parseGitVersion } from './git-version';

describe('git version', () => {
  it('accepts the installed git', async () => {
    expect(await checkGitVersion(os.tmpdir())).toMatchObject({ ok: true });
  });

  it('parses the common version strings', () => {
    expect(parseGitVersion('git version 2.39.5')).toEqual([2, 39, 5]);
    expect(parseGitVersion('git version 2.45.1.windows.1')).toEqual([2, 45, 1]);
    expect(parseGitVersion('git version 2.39.3 (Apple Git-146)')).toEqual([2, 39, 3]);
    expect(parseGitVersion('hub version 1')).toBeNull();
  });
});
