// getAll on a real repository: blob hits are answered at once and misses from the file system, in one
// map in the files' order, the same outlines (the same objects) that get gives one file at a time.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../../git/testing/temp-repo';
import type { TempRepo } from '../../git/testing/temp-repo';
import { OutlineCache } from './outline-cache';
import { stagedBlobs } from './testing/staged-blobs';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

// More files than one batch of the file system's lookups, so hits and misses share batches.
const files = Object.fromEntries(
  Array.from({ length: 150 }, (_, i) => [
    `src/m${i % 4}/f${i}.ts`,
    `export function f${i}(): number {\n  return ${i};\n}\n`,
  ]),
);
const paths = Object.keys(files).sort();

describe('OutlineCache.getAll', () => {
  it('answers blob hits without the file system and reads only the misses, in the order asked', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const blobs = await stagedBlobs(repo.path);
    const first = await cache.getAll(repo.path, paths, blobs);
    expect([cache.read, cache.parsed]).toEqual([150, 150]);
    expect([...first.keys()]).toEqual(paths);

    // Every file a hit: nothing read, the very same outlines, even for a file the worktree lacks now.
    fs.rmSync(path.join(repo.path, 'src/m1/f1.ts'));
    const again = await cache.getAll(repo.path, paths, blobs);
    expect([cache.read, cache.parsed]).toEqual([150, 150]);
    expect([...again.keys()]).toEqual(paths);
    for (const file of paths) expect(again.get(file)).toBe(first.get(file));

    // Another commit: two files changed (new blob ids, in different batches), one is now a symlink.
    const changed = { 'src/m2/f10.ts': 'export const ten = 10;\n', 'src/m3/f147.ts': 'export class C {}\n' };
    await repo.commit({ ...changed, 'src/m1/f1.ts': null });
    fs.symlinkSync('f5.ts', path.join(repo.path, 'src/m1/f1.ts'));
    await repo.git('add', 'src/m1/f1.ts');
    await repo.git('commit', '-q', '-m', 'link');
    const next = await stagedBlobs(repo.path);
    const mixed = await cache.getAll(repo.path, paths, next);
    expect([cache.read, cache.parsed]).toEqual([152, 152]);
    expect([...mixed.keys()]).toEqual(paths);
    expect(mixed.get('src/m2/f10.ts')?.outline?.symbols.map((s) => s.name)).toEqual(['ten']);
    expect(mixed.get('src/m3/f147.ts')?.outline?.symbols.map((s) => s.name)).toEqual(['C']);
    expect(mixed.get('src/m1/f1.ts')).toEqual({ outline: null, source: null });
    // Each the outline get gives for it, one file at a time.
    for (const file of paths) expect(await cache.get(repo.path, file, next.get(file))).toBe(mixed.get(file));
    expect(cache.parsed).toBe(152);
    // An entry's key is kept per entry and path: the same entry asked for at another path is not taken
    // for the first path's content there (that path and blob were never seen: the file is read).
    const entry = next.get('src/m0/f0.ts');
    const elsewhere = await cache.get(repo.path, 'src/m0/f4.ts', entry);
    expect(elsewhere.outline?.symbols.map((s) => s.name)).toEqual(['f4']);
  });
});
