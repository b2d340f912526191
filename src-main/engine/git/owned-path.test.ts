import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertOwnedPath, canonicalPath, isStrictlyInside } from './owned-path';
import { createTempDir } from './testing/temp-repo';

describe('owned paths', () => {
  it('accepts paths strictly inside the root, existing or not', async () => {
    const dir = await createTempDir();
    try {
      await mkdir(path.join(dir.path, 'root'));
      expect(await isStrictlyInside(path.join(dir.path, 'root', 'a', 'b'), path.join(dir.path, 'root'))).toBe(true);
      expect(await isStrictlyInside(path.join(dir.path, 'root'), path.join(dir.path, 'root'))).toBe(false);
      expect(await isStrictlyInside(path.join(dir.path, 'root', '..', 'x'), path.join(dir.path, 'root'))).toBe(false);
      expect(await isStrictlyInside(path.join(dir.path, 'root..sibling'), path.join(dir.path, 'root'))).toBe(false);
      await expect(assertOwnedPath(dir.path, path.join(dir.path, 'root'), 'thing')).rejects.toThrow(/not inside/);
    } finally {
      await dir.cleanup();
    }
  });

  it('sees through symlinks, both ways', async () => {
    const dir = await createTempDir();
    try {
      await mkdir(path.join(dir.path, 'root'));
      await mkdir(path.join(dir.path, 'outside'));
      await symlink(path.join(dir.path, 'outside'), path.join(dir.path, 'root', 'link'));
      await symlink(path.join(dir.path, 'root'), path.join(dir.path, 'alias'));
      expect(await isStrictlyInside(path.join(dir.path, 'root', 'link', 'x'), path.join(dir.path, 'root'))).toBe(false);
      expect(await isStrictlyInside(path.join(dir.path, 'alias', 'x'), path.join(dir.path, 'root'))).toBe(true);
      expect(await canonicalPath(path.join(dir.path, 'alias', 'new', 'deeper'))).toBe(
        path.join(dir.path, 'root', 'new', 'deeper'),
      );
    } finally {
      await dir.cleanup();
    }
  });
});
