// The repo map on a real repository: ranked by the task (named file, its imports both ways, its test,
// words of the task in symbols), fitted to a budget by rank, parsed once per file content, and symbols
// resolved to their definitions.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempRepo } from '../../git/testing/temp-repo';
import type { TempRepo } from '../../git/testing/temp-repo';
import { OutlineCache } from './outline-cache';
import { stagedBlobs } from './testing/staged-blobs';
import { rankFiles } from './rank';
import { analyseKnownRepo, analyseRepo, findSymbols, fitRepoMap } from './repo-map';

let repo: TempRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

const files = {
  'src/api/orders.ts':
    "import { totalOf } from '../billing/totals';\nexport function placeOrder(items: number[]): number {\n  return totalOf(items);\n}\n",
  'src/billing/totals.ts':
    'export function totalOf(items: number[]): number {\n  return items.reduce((a, b) => a + b, 0);\n}\n',
  'src/billing/discount.ts':
    'export function applyDiscount(total: number, percent: number): number {\n  return total - percent;\n}\n',
  'src/api/routes.ts': "import { placeOrder } from './orders';\nexport const routes = { order: placeOrder };\n",
  'src/api/orders.test.ts':
    "import { placeOrder } from './orders';\nit('totals', () => expect(placeOrder([1])).toBe(1));\n",
  'src/users/profile.ts': 'export class Profile {\n  rename(name: string): void {}\n}\n',
  'docs/guide.md': '# guide\n',
};
const tracked = Object.keys(files).sort();

describe('repo map', () => {
  it('ranks by the task and the named file, and fits by rank', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const analysis = await analyseRepo({
      worktree: repo.path,
      tracked,
      namedFiles: ['src/api/orders.ts'],
      failingFiles: [],
      taskText: 'The discount percent is applied as an amount',
      cache,
    });
    expect(analysis.ranked.map((r) => r.file)).toEqual([
      'src/api/orders.ts', // named
      'src/api/orders.test.ts', // the named file's test, which imports it
      'src/billing/totals.ts', // imported by the named file
      'src/api/routes.ts', // imports the named file
      'src/billing/discount.ts', // task words in its symbols and path
      'docs/guide.md',
      'src/users/profile.ts',
    ]);
    const wide = fitRepoMap(analysis, 10_000);
    expect(wide.text).toContain(
      'src/billing/discount.ts\n  function applyDiscount(total: number, percent: number): number  [L1-3]',
    );
    expect(wide.text).toContain('src/users/profile.ts\n  class Profile  [L1-3]\n    rename(name: string): void  [L2]');
    const narrow = fitRepoMap(analysis, 60);
    expect(narrow.shown.length).toBeLessThan(tracked.length);
    expect(narrow.shown).toEqual(analysis.ranked.slice(0, narrow.shown.length).map((r) => r.file));
    expect(narrow.estimatedTokens).toBeLessThanOrEqual(60);
  });

  it('parses a file again only when it changed', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const request = { worktree: repo.path, tracked, namedFiles: [], failingFiles: [], taskText: 'discount', cache };
    await analyseRepo(request);
    expect(cache.parsed).toBe(6);
    await analyseRepo(request);
    expect(cache.parsed).toBe(6);
    await repo.write({
      'src/billing/discount.ts':
        'export function applyDiscount(total: number, percent: number): number {\n  return total * (1 - percent / 100);\n}\nexport const MAX_PERCENT = 90;\n',
    });
    const again = await analyseRepo(request);
    expect(cache.parsed).toBe(7);
    expect(fitRepoMap(again, 10_000).text).toContain('  MAX_PERCENT = 90  [L4]');
  });

  it('parses again a file rewritten to the same size with its mtime set back, and keeps worktrees apart', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const request = { worktree: repo.path, tracked, namedFiles: [], failingFiles: [], taskText: 'discount', cache };
    const file = path.join(repo.path, 'src/billing/discount.ts');
    // A whole second, so the mtime can be put back exactly.
    const stamp = new Date(1_700_000_000_000);
    fs.utimesSync(file, stamp, stamp);
    await analyseRepo(request);
    expect(cache.parsed).toBe(6);
    const text = fs.readFileSync(file, 'utf8');
    // Same length, another name: only the content (and so ctime) tells the two apart.
    const renamed = text.replace('applyDiscount', 'applyDiscoumt');
    expect(renamed.length).toBe(text.length);
    fs.writeFileSync(file, renamed);
    fs.utimesSync(file, stamp, stamp);
    expect(fs.statSync(file, { bigint: true }).mtimeNs).toBe(1_700_000_000_000_000_000n);
    const again = await analyseRepo(request);
    expect(cache.parsed).toBe(7);
    expect(fitRepoMap(again, 10_000).text).toContain('applyDiscoumt');
    // The same paths under another worktree are that worktree's files: each is read there, and only
    // its content decides the outline (the same bytes at the same path were parsed already).
    const other = await createTempRepo({ files });
    try {
      const read = cache.read;
      const there = await analyseRepo({ ...request, worktree: other.path });
      expect(cache.read - read).toBe(6);
      expect(cache.parsed).toBe(7);
      expect(fitRepoMap(there, 10_000).text).toContain('function applyDiscount(');
      expect(fitRepoMap(there, 10_000).text).not.toContain('applyDiscoumt');
    } finally {
      await other.cleanup();
    }
  });

  it("takes an unchanged file's outline by the start commit's blob id, without reading the file", async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const blobs = await stagedBlobs(repo.path);
    const request = { worktree: repo.path, tracked, namedFiles: [], failingFiles: [], taskText: 'discount', cache };
    await analyseRepo({ ...request, blobs });
    expect([cache.read, cache.parsed]).toEqual([6, 6]);
    // Another attempt from the same commit: nothing is read, not even a file the worktree lacks now
    // (the map shows the commit, which is what the worktree holds at an attempt's start).
    fs.rmSync(path.join(repo.path, 'src/users/profile.ts'));
    const again = await analyseRepo({ ...request, blobs });
    expect([cache.read, cache.parsed]).toEqual([6, 6]);
    expect(fitRepoMap(again, 10_000).text).toContain('class Profile');
    // Without the commit's ids (a later build, after edits) the file system answers: the file is gone.
    const later = await analyseRepo(request);
    expect(fitRepoMap(later, 10_000).text).not.toContain('class Profile');
  });

  it('analyses from the cache alone, as analyseRepo would, only when every file is known by blob id', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const blobs = await stagedBlobs(repo.path);
    const request = {
      worktree: repo.path,
      tracked,
      namedFiles: ['src/api/orders.ts'],
      failingFiles: [],
      taskText: 'discount totals',
      cache,
    };
    // Nothing known yet: no answer without reading files.
    expect(analyseKnownRepo({ ...request, blobs })).toBeNull();
    const read = await analyseRepo({ ...request, blobs });
    // Known now, and the worktree's files no longer matter (it may be mid-reset to this commit).
    fs.writeFileSync(path.join(repo.path, 'src/billing/discount.ts'), 'export const rewritten = 1;\n');
    const known = analyseKnownRepo({ ...request, blobs });
    expect(known).toEqual(read);
    expect(fitRepoMap(known ?? read, 10_000).text).toBe(fitRepoMap(read, 10_000).text);
    // One blob id the cache has not seen (another commit's content): no answer.
    const other = new Map(blobs);
    other.set('src/billing/totals.ts', { mode: '100644', oid: '0'.repeat(40) });
    expect(analyseKnownRepo({ ...request, blobs: other })).toBeNull();
    expect(cache.knownAll(['src/api/orders.ts'], other)?.get('src/api/orders.ts')?.outline).not.toBeNull();
  });

  it('never files content under a blob id it does not hash to', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const blobs = await stagedBlobs(repo.path);
    const request = { worktree: repo.path, tracked, namedFiles: [], failingFiles: [], taskText: 'discount', cache };
    // The worktree differs from the commit the ids come from: what is shown is what was read...
    const file = path.join(repo.path, 'src/billing/discount.ts');
    fs.writeFileSync(file, 'export function planted(): number {\n  return 1;\n}\n');
    const first = await analyseRepo({ ...request, blobs });
    expect(fitRepoMap(first, 10_000).text).toContain('function planted()');
    // ...and it is not kept as the commit's blob: with the file gone, that id has no outline.
    fs.rmSync(file);
    const second = await analyseRepo({ ...request, blobs });
    expect(fitRepoMap(second, 10_000).text).not.toContain('planted');
    expect(fitRepoMap(second, 10_000).text).not.toContain('applyDiscount');
    // The commit's own content, once read, is.
    fs.writeFileSync(file, files['src/billing/discount.ts']);
    await analyseRepo({ ...request, blobs });
    fs.rmSync(file);
    const third = await analyseRepo({ ...request, blobs });
    expect(fitRepoMap(third, 10_000).text).toContain('function applyDiscount(');
  });

  // Ranking keeps each outline's resolved imports, symbols and words per file list; a changed file has a
  // new outline, so it is ranked by what it holds now.
  it('ranks a changed file by its new imports and symbols, with the same file list', async () => {
    repo = await createTempRepo({ files });
    const cache = new OutlineCache();
    const request = {
      worktree: repo.path,
      tracked,
      namedFiles: ['src/api/orders.ts'],
      failingFiles: [],
      taskText: 'Order totals',
      cache,
    };
    const scoreOf = (analysis: { ranked: { file: string; score: number }[] }, file: string) =>
      analysis.ranked.find((r) => r.file === file)?.score;
    const before = await analyseRepo(request);
    expect(scoreOf(before, 'src/billing/totals.ts')).toBeGreaterThanOrEqual(200);
    expect(scoreOf(before, 'src/billing/discount.ts')).toBeLessThan(200);
    expect(await analyseRepo(request)).toEqual(before);
    await repo.write({
      'src/api/orders.ts':
        "import { applyDiscount } from '../billing/discount';\nexport function placeOrder(items: number[]): number {\n  return applyDiscount(items.length, 0);\n}\n",
    });
    const after = await analyseRepo(request);
    expect(scoreOf(after, 'src/billing/discount.ts')).toBeGreaterThanOrEqual(200 + 40);
    expect(scoreOf(after, 'src/billing/totals.ts')).toBeLessThan(200);
    // The same as ranking with nothing kept: a fresh cache and a copy of the list.
    const fresh = await analyseRepo({ ...request, tracked: [...tracked], cache: new OutlineCache() });
    expect(after.ranked).toEqual(fresh.ranked);
    expect(fitRepoMap(after, 10_000)).toEqual(fitRepoMap(fresh, 10_000));
    expect(after.fullTokens).toBe(fresh.fullTokens);
    // The full map's cost, measured without rendering it, is what the whole map rendered costs.
    expect(fitRepoMap(after, 1_000_000).estimatedTokens).toBe(after.fullTokens);
    expect(fitRepoMap(after, 1_000_000).shown).toEqual(after.ranked.map((r) => r.file));
  });

  it('finds the definition of a symbol by name, qualified name or file', async () => {
    repo = await createTempRepo({ files });
    const analysis = await analyseRepo({
      worktree: repo.path,
      tracked,
      namedFiles: [],
      failingFiles: [],
      taskText: '',
      cache: new OutlineCache(),
    });
    const found = findSymbols(
      analysis.outlines,
      ['applyDiscount', 'Profile.rename', 'src/billing/totals.ts:totalOf', 'nowhere'],
      40,
    );
    expect(found.regions).toEqual([
      {
        file: 'src/billing/discount.ts',
        symbol: 'applyDiscount',
        startLine: 1,
        endLine: 3,
        text: files['src/billing/discount.ts'].trimEnd(),
      },
      {
        file: 'src/users/profile.ts',
        symbol: 'rename',
        startLine: 2,
        endLine: 2,
        text: '  rename(name: string): void {}',
      },
      {
        file: 'src/billing/totals.ts',
        symbol: 'totalOf',
        startLine: 1,
        endLine: 3,
        text: files['src/billing/totals.ts'].trimEnd(),
      },
    ]);
    expect(found.unknown).toEqual(['nowhere']);
  });

  // The task-independent part of ranking is kept per file list (a session ranks one list per start
  // commit for every attempt); this pins that the order is still the one total order over all files.
  it('ranks a large list in one total order, the same from a kept list and from a fresh copy', () => {
    // 600 paths at three depths, with tests, path words of the task, and many equal scores.
    const list: string[] = [];
    for (let i = 0; i < 200; i++) {
      list.push(`src/m${i % 7}/ledger_${i}.ts`, `src/m${i % 7}/ledger_${i}.test.ts`, `lib/Report${i % 13}/x${i}.ts`);
    }
    list.push('README.md', 'src/ledger.ts', 'Src/Ledger.ts');
    const input = {
      outlines: new Map(),
      namedFiles: ['src/m1/ledger_8.ts'],
      failingFiles: ['lib/Report3/x3.ts'],
      taskText: 'The ledger report totals are wrong',
    };
    const kept = rankFiles({ ...input, tracked: list });
    expect(rankFiles({ ...input, tracked: list })).toEqual(kept);
    expect(rankFiles({ ...input, tracked: [...list] })).toEqual(kept);
    expect(new Set(kept.map((r) => r.file))).toEqual(new Set(list));
    expect(kept).toHaveLength(new Set(list).size);
    const depth = (f: string) => f.split('/').length;
    for (let i = 1; i < kept.length; i++) {
      const [a, b] = [kept[i - 1], kept[i]];
      if (a === undefined || b === undefined) continue;
      const order = b.score - a.score || depth(a.file) - depth(b.file) || a.file.localeCompare(b.file);
      expect(order, `${a.file} (${a.score}) before ${b.file} (${b.score})`).toBeLessThan(0);
    }
    expect(kept.slice(0, 3).map((r) => r.file)).toEqual([
      'src/m1/ledger_8.ts',
      'src/m1/ledger_8.test.ts',
      'lib/Report3/x3.ts',
    ]);
    // Path words of the task: every ledger file scores, ties ordered by depth and name.
    expect(kept.filter((r) => r.score > 0)).toHaveLength(403);
    expect(kept.find((r) => r.file === 'README.md')?.score).toBe(0);
  });
});
