import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitAll } from './commit-all';
import type { CommitAllParams, CommitAllResult } from './commit-all';
import { pinnedGit } from './engine-worktree';
import { addWorktree } from './worktree-add';
import type { EngineWorktree } from './engine-worktree';
import { snapshotCheckout } from './testing/checkout-snapshot';
import { createTempDir, createTempRepo, openTempRepo } from './testing/temp-repo';
import type { TempRepo } from './testing/temp-repo';

let repo: TempRepo;
let home: { path: string; cleanup(): Promise<void> };
let worktreePath: string;
let worktree: EngineWorktree;

beforeEach(async () => {
  repo = await createTempRepo({ files: { 'a.txt': 'a\n', 'b.txt': 'b\n', '.gitignore': '*.log\n' } });
  home = await createTempDir();
  worktreePath = path.join(home.path, 'wt');
  const added = await addWorktree({
    repoPath: repo.path,
    worktreePath,
    ownedRoot: home.path,
    branch: 'attempt',
    base: 'main',
  });
  if (added.kind !== 'created') throw new Error(added.kind);
  worktree = added.worktree;
});
afterEach(async () => {
  await repo.cleanup();
  await home.cleanup();
});

/**
 * `commitAll` on the test's worktree with GIT_TRACE on (the engine's git environment keeps it): the
 * commit it made ('' for none) and the git processes it started, each one's arguments after `git`.
 */
async function tracedCommit(
  params: Omit<CommitAllParams, 'worktree' | 'ownedRoot'>,
): Promise<{ commit: string; calls: string[] }> {
  const trace = path.join(home.path, `trace-${Date.now()}.log`);
  const previous = process.env['GIT_TRACE'];
  process.env['GIT_TRACE'] = trace;
  let result: CommitAllResult;
  try {
    result = await commitAll({ worktree, ownedRoot: home.path, ...params });
  } finally {
    if (previous === undefined) delete process.env['GIT_TRACE'];
    else process.env['GIT_TRACE'] = previous;
  }
  const text = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8') : '';
  return {
    commit: result.kind === 'committed' ? result.commit : '',
    calls: [...text.matchAll(/ trace: built-in: git (.*)$/gm)].map((m) => m[1] ?? ''),
  };
}

describe('commitAll', () => {
  it('stages additions, edits and deletions and commits them on the attempt branch', async () => {
    const wt = openTempRepo(worktreePath);
    await wt.write({ 'a.txt': 'edited\n', 'b.txt': null, 'src/new.ts': 'export {};\n', 'debug.log': 'ignored\n' });
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] });

    const result = await commitAll({
      worktree,
      ownedRoot: home.path,
      message: 'nocturnal: do the thing\n\nbody',
      paths: ['a.txt', 'b.txt', 'src/new.ts', 'debug.log'],
    });

    expect(result.kind).toBe('committed');
    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('rev-parse', 'attempt')).toBe(commit);
    expect(await repo.git('show', '--name-status', '--format=%s|%an', commit)).toBe(
      'nocturnal: do the thing|Nocturnal Agent\n\nM\ta.txt\nD\tb.txt\nA\tsrc/new.ts',
    );
    expect(await wt.git('status', '--porcelain')).toBe('');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] })).toEqual(before);
  });

  it('commits edits and deletions of tracked files in one git process, and new files through add', async () => {
    // The worktree's filter list is read once (engine-worktree) and kept: read it before counting.
    await pinnedGit(worktree, {});
    const wt = openTempRepo(worktreePath);
    await wt.write({ 'a.txt': 'edited\n', 'b.txt': null });
    const { commit: first, calls: trackedRun } = await tracedCommit({ message: 'tracked', paths: ['a.txt', 'b.txt'] });
    expect(trackedRun).toHaveLength(1);
    expect(trackedRun[0]).toMatch(/^commit .* --only /);
    // No background maintenance either (git-environment): git would start `maintenance run --auto`.
    expect(trackedRun.join('\n')).not.toMatch(/maintenance|gc --auto/);
    expect(await repo.git('show', '--name-status', '--format=', first)).toBe('M\ta.txt\nD\tb.txt');

    await wt.write({ 'a.txt': 'again\n', 'src/new.ts': 'export {};\n' });
    const { commit: second, calls: createdRun } = await tracedCommit({
      message: 'with a new file',
      paths: ['a.txt', 'src/new.ts'],
      created: ['src/new.ts'],
    });
    expect(createdRun).toHaveLength(2);
    expect(await repo.git('show', '--name-status', '--format=', second)).toBe('M\ta.txt\nA\tsrc/new.ts');
    expect(await repo.git('rev-parse', 'attempt')).toBe(second);
    expect(await wt.git('status', '--porcelain')).toBe('');
  });

  it('stages in the index itself when the caller knows the index, and takes the --only way for a path outside it', async () => {
    await pinnedGit(worktree, {});
    const wt = openTempRepo(worktreePath);
    const head = await repo.git('rev-parse', 'attempt');
    await wt.write({ 'a.txt': 'edited\n', 'b.txt': null });
    const { commit: first, calls: inPlaceRun } = await tracedCommit({
      message: 'in place',
      paths: ['a.txt', 'b.txt'],
      indexPaths: new Set(['.gitignore', 'a.txt', 'b.txt']),
    });
    expect(inPlaceRun).toHaveLength(1);
    expect(inPlaceRun[0]).toMatch(/^commit .* --include /);
    expect(await repo.git('rev-parse', `${first}^`)).toBe(head);
    expect(await repo.git('show', '--name-status', '--format=', first)).toBe('M\ta.txt\nD\tb.txt');
    // The index is the new commit's tree, as after `--only`.
    expect(await wt.git('status', '--porcelain')).toBe('');

    // An existing file git does not track, which the caller's list does not hold: `--include` would
    // leave it out without a word, so the commit goes the `--only` way and its fallback adds it.
    await wt.write({ 'a.txt': 'again\n', 'notes.md': 'kept\n' });
    const { commit: second, calls: outsideRun } = await tracedCommit({
      message: 'outside the list',
      paths: ['a.txt', 'notes.md'],
      indexPaths: new Set(['.gitignore', 'a.txt']),
    });
    expect(outsideRun.join('\n')).not.toMatch(/--include/);
    expect(await repo.git('show', '--name-status', '--format=', second)).toBe('M\ta.txt\nA\tnotes.md');
  });

  it('falls back to add when a path git does not know was not declared as created, ignored ones left out', async () => {
    const wt = openTempRepo(worktreePath);
    await wt.write({ 'a.txt': 'edited\n', 'src/new.ts': 'export {};\n', 'debug.log': 'ignored\n' });
    const head = await repo.git('rev-parse', 'attempt');
    const result = await commitAll({
      worktree,
      ownedRoot: home.path,
      message: 'undeclared',
      paths: ['a.txt', 'src/new.ts', 'debug.log'],
    });
    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('rev-parse', `${commit}^`)).toBe(head);
    expect(await repo.git('show', '--name-status', '--format=', commit)).toBe('M\ta.txt\nA\tsrc/new.ts');
    expect(await wt.git('status', '--porcelain', '--ignored')).toBe('!! debug.log');
  });

  it('says so when there is nothing to commit', async () => {
    expect(await commitAll({ worktree, ownedRoot: home.path, message: 'nothing', paths: ['a.txt'] })).toEqual({
      kind: 'nothing-to-commit',
    });
    expect(await commitAll({ worktree, ownedRoot: home.path, message: 'nothing', paths: [] })).toEqual({
      kind: 'nothing-to-commit',
    });
    // Only an ignored file written: git's add refuses it (exit 1) and the commit finds nothing staged.
    await openTempRepo(worktreePath).write({ 'debug.log': 'ignored\n' });
    const head = await repo.git('rev-parse', 'attempt');
    expect(await commitAll({ worktree, ownedRoot: home.path, message: 'nothing', paths: ['debug.log'] })).toEqual({
      kind: 'nothing-to-commit',
    });
    expect(await repo.git('rev-parse', 'attempt')).toBe(head);
  });

  it('stages only the named paths: files a check left behind are never committed', async () => {
    const wt = openTempRepo(worktreePath);
    await wt.write({
      'a.txt': 'edited by the model\n',
      '.github/workflows/evil.yml': 'on: push\n',
      '*': 'a file named star\n',
    });
    const result = await commitAll({ worktree, ownedRoot: home.path, message: 'only a.txt', paths: ['a.txt'] });
    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('show', '--name-only', '--format=', commit)).toBe('a.txt');
  });

  it('refuses the user checkout', async () => {
    await repo.write({ 'a.txt': 'user edit\n' });
    const before = await snapshotCheckout(repo.path);
    await expect(
      commitAll({ worktree: { ...worktree, path: repo.path }, ownedRoot: home.path, message: 'x', paths: ['a.txt'] }),
    ).rejects.toThrow(/not inside/);
    await expect(commitAll({ worktree, ownedRoot: home.path, message: '  ', paths: ['a.txt'] })).rejects.toMatchObject({
      kind: 'validation',
    });
    expect(await snapshotCheckout(repo.path)).toEqual(before);
  });
});

describe('commitAll on a worktree whose .git file a check rewrote', () => {
  it('still commits on the attempt branch when .git points at the user repository: the user branch and index are untouched', async () => {
    await repo.write({ 'a.txt': 'user edit\n' });
    await repo.git('add', 'a.txt');
    const before = await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] });
    fs.writeFileSync(path.join(worktreePath, '.git'), `gitdir: ${path.join(repo.path, '.git')}\n`);
    fs.writeFileSync(path.join(worktreePath, 'b.txt'), 'model edit\n');

    const result = await commitAll({ worktree, ownedRoot: home.path, message: 'edit b', paths: ['b.txt'] });

    const commit = result.kind === 'committed' ? result.commit : '';
    expect(await repo.git('rev-parse', 'attempt')).toBe(commit);
    expect(await repo.git('show', '--name-only', '--format=', commit)).toBe('b.txt');
    expect(await snapshotCheckout(repo.path, { ignoreBranches: ['attempt'] })).toEqual(before);
  });

  it('runs no filter driver from a planted git dir, nor one the repository defines, whatever .gitattributes selects', async () => {
    const marker = path.join(home.path, 'filter-ran');
    const planted = path.join(worktreePath, 'planted.git');
    await repo.git('init', '--quiet', '--bare', planted);
    await repo.git('--git-dir', planted, 'config', 'filter.evil.clean', `sh -c 'echo planted >> ${marker}; cat'`);
    // The repository's own config defines a driver too; a check's .gitattributes could select it.
    await repo.git('config', 'filter.own.clean', `sh -c 'echo own >> ${marker}; cat'`);
    await repo.git('config', 'filter.own.required', 'true');
    fs.writeFileSync(path.join(worktreePath, '.git'), `gitdir: ${planted}\n`);
    fs.writeFileSync(path.join(worktreePath, '.gitattributes'), 'b.txt filter=evil\na.txt filter=own\n');
    fs.writeFileSync(path.join(worktreePath, 'a.txt'), 'model edit a\n');
    fs.writeFileSync(path.join(worktreePath, 'b.txt'), 'model edit b\n');

    const result = await commitAll({
      worktree,
      ownedRoot: home.path,
      message: 'edit a and b',
      paths: ['a.txt', 'b.txt'],
    });

    expect(result.kind).toBe('committed');
    expect(await repo.git('show', 'attempt:a.txt')).toBe('model edit a');
    expect(fs.existsSync(marker)).toBe(false);
  });
});
