import { lstat, mkdir, mkdtemp, readFile, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProtectedPaths } from '../../../src-shared/config/schema';
import { isCaseInsensitiveDir } from './case-sensitivity';
import { createPathGuard, guardEditPath, normaliseEditPath } from './path-guard';
import { writeRegularFile } from './safe-write';

let base: string;
let root: string;
let outside: string;
const protectedPaths = [...defaultProtectedPaths];

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'nocturnal-path-guard-')));
  root = join(base, 'worktree');
  outside = join(base, 'outside');
  await mkdir(join(root, 'src', 'lib'), { recursive: true });
  await mkdir(join(root, 'sub', '.git', 'hooks'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(root, '.git'), 'gitdir: /somewhere/else\n');
  await writeFile(join(root, 'src', 'index.ts'), 'export {};\n');
  await writeFile(join(outside, 'secret.txt'), 'outside\n');
  await writeFile(join(root, 'docs-target.md'), 'inside\n');
  await mkdir(join(root, '.github', 'workflows'), { recursive: true });
  await symlink(join(outside, 'secret.txt'), join(root, 'leak.txt'));
  await symlink(outside, join(root, 'outdir'));
  await symlink(join(root, 'src'), join(root, 'src-link'));
  await symlink('docs-target.md', join(root, 'README.md'));
  await symlink(join(root, '.github'), join(root, 'ci'));
  await symlink(join(outside, 'does-not-exist'), join(root, 'dangling'));
  await symlink('../..', join(root, 'src', 'up'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const refused: [string, string, RegExp][] = [
  ['empty', '', /is empty/],
  ['blank', '   ', /is empty/],
  ['parent', '../x', /'\.\.' segment/],
  ['escaping parent in the middle', 'a/../../x', /'\.\.' segment/],
  ['parent that stays inside', 'a/../b', /'\.\.' segment/],
  ['POSIX absolute', '/etc/passwd', /is absolute/],
  ['UNC-like double slash', '//server/share/x', /is absolute/],
  ['Windows drive with backslash', 'C:\\x', /backslash/],
  ['Windows drive with slash', 'C:/x', /Windows drive/],
  ['Windows drive-relative', 'c:x', /Windows drive/],
  ['UNC', '\\\\server\\share', /backslash/],
  ['backslash traversal', '..\\..\\etc\\passwd', /backslash/],
  ['backslash inside', 'src\\index.ts', /backslash/],
  ['NUL byte', 'src/a\0.ts', /NUL byte/],
  ['control character', 'src/a\n.ts', /control character/],
  ['folder', 'src/', /names a folder/],
  ['root dot', '.', /repository root/],
  ['home shorthand', '~/.bashrc', /starts with '~'/],
  ['.git/config', '.git/config', /inside \.git/],
  ['.git itself', '.git', /inside \.git/],
  ['.GIT/config in any case', '.GIT/config', /inside \.git/],
  ['.Git/hooks/pre-commit', '.Git/hooks/pre-commit', /inside \.git/],
  ['nested .git', 'sub/.git/hooks/x', /inside \.git/],
  ['.git with trailing dot', '.git./config', /inside \.git/],
  ['.git with a zero-width joiner (HFS+)', '.g\u200cit/config', /inside \.git/],
  ['8.3 short name of .git', 'GIT~1/config', /inside \.git/],
  ['.env', '.env', /protected path pattern ".env\*"/],
  ['.env.local', '.env.local', /protected path pattern ".env\*"/],
  ['nested .env (gitignore-like)', 'packages/api/.env', /protected path pattern ".env\*"/],
  ['pem key', 'keys/a.pem', /protected path pattern "\*\*\/\*\.pem"/],
  ['ssh key', 'deploy/id_rsa', /protected path pattern "\*\*\/id_rsa\*"/],
  ['workflow', '.github/workflows/ci.yml', /protected path pattern "\.github\/workflows\/\*\*"/],
  ['nocturnal folder', '.nocturnal/state.json', /protected path pattern/],
  ['symlink to a file outside', 'leak.txt', /is a symlink/],
  ['dir symlink to outside', 'outdir/new.txt', /symlink leading outside the worktree/],
  ['dir symlink to outside, existing file', 'outdir/secret.txt', /symlink leading outside the worktree/],
  ['symlink inside the worktree as the final name', 'README.md', /is a symlink/],
  ['dir symlink onto a protected folder', 'ci/workflows/ci.yml', /protected path pattern/],
  ['dangling symlink', 'dangling/x', /target does not exist/],
  ['relative symlink climbing out', 'src/up/outside/x', /symlink leading outside the worktree/],
  ['file used as a folder', 'src/index.ts/x', /which is a file, not a folder/],
  ['existing folder', 'src/lib', /existing folder/],
];

const accepted: [string, string, string][] = [
  ['existing file', 'src/index.ts', 'src/index.ts'],
  ['new file', 'src/new.ts', 'src/new.ts'],
  ['new nested file', 'src/a/b/c/new.ts', 'src/a/b/c/new.ts'],
  ['redundant ./ and //', './src//lib/./x.ts', 'src/lib/x.ts'],
  ['dotfile that is not protected', '.eslintrc.json', '.eslintrc.json'],
  ['a name that starts with ..', '..foo/x', '..foo/x'],
  ['a name containing .git', '.github/CODEOWNERS', '.github/CODEOWNERS'],
  ['.gitignore', '.gitignore', '.gitignore'],
  ['dir symlink that stays inside', 'src-link/new.ts', 'src-link/new.ts'],
];

describe('guardEditPath', () => {
  it.each(refused)('refuses %s (%j)', async (_label, relPath, reason) => {
    const result = await guardEditPath(root, relPath, { protectedPaths });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });

  it.each(accepted)('accepts %s (%j)', async (_label, relPath, normalised) => {
    const result = await guardEditPath(root, relPath, { protectedPaths });
    expect(result).toMatchObject({ ok: true, relPath: normalised });
    if (result.ok) expect(result.absolutePath.startsWith(`${root}/`)).toBe(true);
  });

  it('resolves a symlinked folder that stays inside to the real location', async () => {
    const result = await guardEditPath(root, 'src-link/new.ts', { protectedPaths });
    expect(result).toEqual({ ok: true, relPath: 'src-link/new.ts', absolutePath: join(root, 'src', 'new.ts') });
  });

  it('matches protected globs without regard to case on a case-insensitive file system', async () => {
    const sensitive = await guardEditPath(root, '.ENV', { protectedPaths, caseInsensitive: false });
    const insensitive = await guardEditPath(root, '.ENV', { protectedPaths, caseInsensitive: true });
    expect(sensitive.ok).toBe(true);
    expect(insensitive).toMatchObject({ ok: false, reason: expect.stringMatching(/protected path pattern ".env\*"/) });
  });

  it('protects a folder named by a slash-less pattern, and everything under it', async () => {
    const result = await guardEditPath(root, 'config/secrets/prod.json', { protectedPaths: ['secrets'] });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/"secrets"/) });
  });

  it('catches a symlink an earlier edit of the same attempt created', async () => {
    const guard = await createPathGuard(root, { protectedPaths });
    expect((await guard.check('later/x.ts')).ok).toBe(true);
    await symlink(outside, join(root, 'later'));
    try {
      expect(await guard.check('later/x.ts')).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/outside the worktree/),
      });
    } finally {
      await rm(join(root, 'later'));
    }
  });

  it('refuses everything when the worktree does not exist', async () => {
    const result = await guardEditPath(join(base, 'missing'), 'a.txt', { protectedPaths });
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/not usable/) });
  });

  it('detects this file system as case-sensitive without leaving anything behind', async () => {
    const empty = await mkdtemp(join(base, 'empty-'));
    expect(await isCaseInsensitiveDir(root)).toBe(false);
    expect(await isCaseInsensitiveDir(empty)).toBe(false);
    expect((await createPathGuard(root, { protectedPaths })).caseInsensitive).toBe(false);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(empty)).toEqual([]);
  });

  it('normalises without touching the disk', () => {
    expect(normaliseEditPath('a//b/./c.ts')).toEqual({ ok: true, relPath: 'a/b/c.ts' });
    expect(normaliseEditPath('a/../b').ok).toBe(false);
  });
});

describe('writeRegularFile', () => {
  it('writes a regular file and creates missing folders', async () => {
    const guard = await createPathGuard(root, { protectedPaths });
    const result = await guard.check('made/by/edit.txt');
    if (!result.ok) throw new Error(result.reason);
    await writeRegularFile(result.absolutePath, 'hello\n');
    expect(await readFile(join(root, 'made', 'by', 'edit.txt'), 'utf8')).toBe('hello\n');
    expect((await lstat(join(root, 'made'))).isDirectory()).toBe(true);
  });

  it('never writes through a symlink put in place after the guard looked', async () => {
    const target = join(root, 'raced.txt');
    await symlink(join(outside, 'secret.txt'), target);
    try {
      await expect(writeRegularFile(target, 'pwned')).rejects.toMatchObject({ code: 'ELOOP' });
      expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('outside\n');
    } finally {
      await rm(target);
    }
  });
});
