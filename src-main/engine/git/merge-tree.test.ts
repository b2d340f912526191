import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeTree, parseMergeTreeOutput } from './merge-tree';
import { commitTree } from './commit-tree';
import { createTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'shared.txt': 'one\ntwo\nthree\n', 'keep.txt': 'keep\n' } });
});
afterEach(async () => {
  await repo.cleanup();
});

async function branches(ours: Record<string, string | null>, theirs: Record<string, string | null>) {
  await repo.git('branch', 'theirs');
  const o = await repo.commit(ours, 'ours');
  await repo.git('checkout', '--quiet', 'theirs');
  const t = await repo.commit(theirs, 'theirs');
  await repo.git('checkout', '--quiet', 'main');
  return { ours: o, theirs: t };
}

describe('mergeTree + commitTree', () => {
  it('merges cleanly in the object database and commits the result without touching files', async () => {
    const { ours, theirs } = await branches(
      { 'shared.txt': 'ONE\ntwo\nthree\n' },
      { 'shared.txt': 'one\ntwo\nTHREE\n', 'new.txt': 'new\n' },
    );
    const status = await repo.git('status', '--porcelain');
    const result = await mergeTree({ repoPath: repo.path, ours, theirs });
    expect(result.kind).toBe('clean');
    if (result.kind !== 'clean') return;
    const commit = await commitTree({
      repoPath: repo.path,
      tree: result.tree,
      parents: [ours, theirs],
      message: 'merge theirs',
    });
    expect(await repo.git('show', `${commit}:shared.txt`)).toBe('ONE\ntwo\nTHREE');
    expect(await repo.git('show', `${commit}:new.txt`)).toBe('new');
    expect(await repo.git('log', '-1', '--format=%P|%s|%an', commit)).toBe(
      `${ours} ${theirs}|merge theirs|Nocturnal Agent`,
    );
    expect(await repo.git('rev-parse', 'main')).toBe(ours);
    expect(await repo.git('status', '--porcelain')).toBe(status);
  });

  it('reports conflicting paths, including modify/delete', async () => {
    const { ours, theirs } = await branches(
      { 'shared.txt': 'ours\n', 'keep.txt': null },
      { 'shared.txt': 'theirs\n', 'keep.txt': 'changed\n' },
    );
    const result = await mergeTree({ repoPath: repo.path, ours, theirs });
    expect(result).toMatchObject({ kind: 'conflict', paths: ['keep.txt', 'shared.txt'] });
    if (result.kind === 'conflict') expect(result.messages.join('\n')).toMatch(/CONFLICT \(content\)/);
  });

  it('parses clean and conflicted output', () => {
    expect(parseMergeTreeOutput('abc\0')).toEqual({ tree: 'abc', paths: [], messages: [] });
    expect(
      parseMergeTreeOutput(
        'abc\0a\0\0' +
          '1\0a\0Auto-merging\0Auto-merging a\n\0' +
          '2\0b\0c\0CONFLICT (rename/delete)\0CONFLICT (rename/delete): b renamed to c\n\0',
      ),
    ).toEqual({
      tree: 'abc',
      paths: ['a', 'b', 'c'],
      messages: ['Auto-merging a', 'CONFLICT (rename/delete): b renamed to c'],
    });
  });

  it('refuses an empty message and non-oid parents', async () => {
    const tree = await repo.git('rev-parse', 'HEAD^{tree}');
    await expect(commitTree({ repoPath: repo.path, tree, parents: [], message: ' ' })).rejects.toMatchObject({
      kind: 'validation',
    });
    await expect(commitTree({ repoPath: repo.path, tree, parents: ['main'], message: 'x' })).rejects.toMatchObject({
      kind: 'validation',
    });
  });
});
