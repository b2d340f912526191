// The context on a real repository: the named file's own tests come right after it, before files that
// only share a word with the task, and the budget drops whole files, saying which.
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { buildContext } from './context-builder';
import { OutlineCache } from './repo-map/outline-cache';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

describe('buildContext', () => {
  it("includes the named file's tests, ahead of files that only share a word with the task", async () => {
    repo = await createTempRepo({
      files: {
        'src/queue.ts': 'export function pop(q: number[]) { return q.shift(); }\n',
        'src/queue.test.ts':
          "import { pop } from './queue';\nit('pops the first', () => expect(pop([1, 2])).toBe(1));\n",
        'src/order.ts': 'export const order = 1;\n',
        'docs/order-guide.md': `${'text '.repeat(400)}\n`,
      },
    });
    const context = await buildContext({
      git: {},
      worktree: repo.path,
      taskFiles: ['src/queue.ts'],
      taskText: 'Fix pop order',
      budgetTokens: 200,
    });
    expect(context.includedFiles).toEqual(['src/queue.ts', 'src/queue.test.ts', 'src/order.ts']);
    expect(context.text).toContain("## src/queue.test.ts\n```\nimport { pop } from './queue';");
    expect(context.omitted).toEqual(['docs/order-guide.md']);
  });

  it('with the repo map: the named file and its tests first, then what explore asked for, then the map in its share', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 60 }, (_, i) => [
        `src/widgets/widget${i}.ts`,
        `export function render${i}(size: number): string {\n  return 'w'.repeat(size);\n}\n`,
      ]),
    );
    repo = await createTempRepo({
      files: {
        ...many,
        'src/queue.ts': "import { limit } from './limits';\nexport function pop(q: number[]) { return q.shift(); }\n",
        'src/queue.test.ts':
          "import { pop } from './queue';\nit('pops the first', () => expect(pop([1, 2])).toBe(1));\n",
        'src/limits.ts': 'export const limit = 3;\n',
        'src/retry/backoff.ts': 'export function backoffDelay(attempt: number): number {\n  return attempt * 100;\n}\n',
      },
    });
    const context = await buildContext({
      git: {},
      worktree: repo.path,
      taskFiles: ['src/queue.ts'],
      taskText: 'Fix pop order',
      budgetTokens: 400,
      repoMap: { cache: new OutlineCache() },
      explored: { files: ['src/retry/backoff.ts'], regions: [] },
    });
    expect(context.includedFiles.slice(0, 3)).toEqual(['src/queue.ts', 'src/queue.test.ts', 'src/retry/backoff.ts']);
    const map = context.text.slice(context.text.indexOf('# Repository map'));
    expect(map).toMatch(
      /^# Repository map \(the \d+ most relevant of 64 files, with their symbols\)\nsrc\/queue\.ts\n {2}function pop\(q: number\[\]\) {2}\[L2\]\nsrc\/queue\.test\.ts\nsrc\/limits\.ts\n {2}limit = 3 {2}\[L1\]/,
    );
    expect(context.map?.estimatedTokens).toBeLessThanOrEqual(120);
    expect(context.estimatedTokens).toBeLessThanOrEqual(400);
    expect(context.omitted).toEqual([]);
  });

  // The session keeps outlines, rendered entries and the ranking's per-list index: builds that use them
  // must give the very text of a build that starts from nothing, and a changed file its new outline.
  it('gives the same context from the kept caches as from nothing, and a changed file as it is now', async () => {
    const many = Object.fromEntries(
      Array.from({ length: 120 }, (_, i) => [
        `src/widgets/widget${i}.ts`,
        `import { limit } from '../limits';\nexport function render${i}(size: number): string {\n  return 'w'.repeat(size + limit);\n}\n`,
      ]),
    );
    repo = await createTempRepo({
      files: {
        ...many,
        'src/limits.ts': 'export const limit = 3;\n',
        'src/limits.test.ts': "import { limit } from './limits';\nit('limits', () => expect(limit).toBe(3));\n",
        'src/retry/backoff.ts': 'export function backoffDelay(attempt: number): number {\n  return attempt * 100;\n}\n',
      },
    });
    const worktree = repo.path;
    const base = {
      git: {},
      worktree,
      taskFiles: ['src/limits.ts'],
      taskText: 'Raise the widget render limit',
      budgetTokens: 900,
      notes: 'Keep widgets small.',
    };
    const cache = new OutlineCache();
    const fresh = () => buildContext({ ...base, repoMap: { cache: new OutlineCache() } });
    const first = await buildContext({ ...base, startCommit: 'list', repoMap: { cache } });
    expect(first.blobs?.size).toBe(123);
    const expected = await fresh();
    expect(first.text).toBe(expected.text);
    // Another attempt from the same commit: the kept list, outlines by blob id, entries already rendered.
    const again = await buildContext({
      ...base,
      tracked: first.tracked,
      startCommit: { blobs: first.blobs ?? new Map() },
      repoMap: { cache },
    });
    expect([again.text, again.estimatedTokens, again.includedFiles]).toEqual([
      expected.text,
      expected.estimatedTokens,
      expected.includedFiles,
    ]);
    // The edit call's build reuses the analysis; the same as analysing again.
    const explored = { files: ['src/widgets/widget7.ts', 'src/retry/backoff.ts'], regions: [] };
    const reused = await buildContext({
      ...base,
      tracked: first.tracked,
      ...(again.analysis ? { analysis: again.analysis } : {}),
      repoMap: { cache },
      explored,
    });
    expect(reused.text).toBe((await buildContext({ ...base, repoMap: { cache: new OutlineCache() }, explored })).text);
    // After an edit the file system answers: the changed file's new symbol, as a fresh build shows it.
    await repo.write({ 'src/limits.ts': 'export const limit = 3;\nexport const ceiling = 9;\n' });
    const edited = await buildContext({ ...base, tracked: first.tracked, repoMap: { cache } });
    expect(edited.text).toContain('src/limits.ts\n  limit = 3  [L1]\n  ceiling = 9  [L2]');
    expect(edited.text).toBe((await fresh()).text);
  });
});
