import { describe, expect, it } from 'vitest';
import { getDiffStats, parseNumstatZ } from './diff-stats';
import { getDiffText } from './diff-text';
import { createTempRepo } from './testing/temp-repo';

describe('getDiffStats', () => {
  it('counts lines per file and in total, flags binaries and follows renames', async () => {
    const body = Array.from({ length: 20 }, (_, i) => `line ${i}\n`).join('');
    const repo = await createTempRepo({
      files: { 'a.txt': 'one\ntwo\nthree\n', 'old name.txt': body, 'gone.txt': 'x\ny\n' },
    });
    try {
      const from = await repo.git('rev-parse', 'HEAD');
      await repo.git('mv', 'old name.txt', 'new name.txt');
      const to = await repo.commit(
        {
          'a.txt': 'one\n2\nthree\nfour\n',
          'gone.txt': null,
          'pic.bin': '\u0000\u0001\u0002binary',
          'new name.txt': `${body}extra\n`,
          'old name.txt': null,
        },
        'change things',
      );
      const stats = await getDiffStats(repo.path, from, to);
      expect(stats.files).toEqual([
        { path: 'a.txt', oldPath: null, insertions: 2, deletions: 1, binary: false },
        { path: 'gone.txt', oldPath: null, insertions: 0, deletions: 2, binary: false },
        { path: 'new name.txt', oldPath: 'old name.txt', insertions: 1, deletions: 0, binary: false },
        { path: 'pic.bin', oldPath: null, insertions: 0, deletions: 0, binary: true },
      ]);
      expect(stats).toMatchObject({ insertions: 3, deletions: 3, binaryFiles: 1 });
    } finally {
      await repo.cleanup();
    }
  });

  it('is empty between identical commits', async () => {
    const repo = await createTempRepo();
    try {
      expect(await getDiffStats(repo.path, 'HEAD', 'HEAD')).toEqual({
        files: [],
        insertions: 0,
        deletions: 0,
        binaryFiles: 0,
      });
    } finally {
      await repo.cleanup();
    }
  });

  it('parses paths containing tabs and newlines', () => {
    expect(parseNumstatZ('1\t2\tweird\tname\n.txt\0' + '3\t0\t\0from\0to\0')).toEqual([
      { path: 'weird\tname\n.txt', oldPath: null, insertions: 1, deletions: 2, binary: false },
      { path: 'to', oldPath: 'from', insertions: 3, deletions: 0, binary: false },
    ]);
  });
});

describe('getDiffText', () => {
  it('gives a unified diff with a/ b/ prefixes regardless of user config', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'one\n' } });
    try {
      await repo.git('config', 'diff.noprefix', 'true');
      await repo.git('config', 'color.diff', 'always');
      const from = await repo.git('rev-parse', 'HEAD');
      const to = await repo.commit({ 'a.txt': 'uno\n', 'b.txt': 'new\n' });
      const diff = await getDiffText(repo.path, from, to);
      expect(diff.truncated).toBe(false);
      expect(diff.text).toContain('diff --git a/a.txt b/a.txt');
      expect(diff.text).toContain('-one\n+uno\n');
      expect(diff.text).toContain('+++ b/b.txt');
      expect(diff.text).not.toContain('\u001b[');
      const onlyB = await getDiffText(repo.path, from, to, { paths: ['b.txt'] });
      expect(onlyB.text).not.toContain('a.txt');
    } finally {
      await repo.cleanup();
    }
  });

  it('caps long diffs at a whole line', async () => {
    const repo = await createTempRepo({ files: { 'a.txt': 'start\n' } });
    try {
      const from = await repo.git('rev-parse', 'HEAD');
      const big = Array.from({ length: 5000 }, (_, i) => `a fairly long line number ${i}\n`).join('');
      const to = await repo.commit({ 'a.txt': big });
      const full = await getDiffText(repo.path, from, to, { maxBytes: 10_000_000 });
      expect(full.truncated).toBe(false);
      const capped = await getDiffText(repo.path, from, to, { maxBytes: 1000 });
      expect(capped.truncated).toBe(true);
      expect(Buffer.byteLength(capped.text)).toBeLessThanOrEqual(1000);
      expect(capped.text.endsWith('\n')).toBe(true);
      expect(full.text.startsWith(capped.text)).toBe(true);
      const exact = await getDiffText(repo.path, from, to, { maxBytes: Buffer.byteLength(full.text) });
      expect(exact).toEqual({ text: full.text, truncated: false });
    } finally {
      await repo.cleanup();
    }
  });
});
