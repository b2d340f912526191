import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkChangeLimits } from './change-limits';
import type { ChangeLimits } from './change-limits';
import { countChangedLines, splitLines } from './line-diff';

const limits: ChangeLimits = { max_file_changes: 3, max_changed_lines: 10, max_file_bytes: 100 };

const lines = (n: number, prefix = 'line') => Array.from({ length: n }, (_, i) => `${prefix} ${i}\n`).join('');

describe('countChangedLines', () => {
  it.each([
    ['identical', 'a\nb\n', 'a\nb\n', 0, 0],
    ['new file', '', 'a\nb\n', 2, 0],
    ['deleted file', 'a\nb\nc\n', '', 0, 3],
    ['one line changed', 'a\nb\nc\n', 'a\nB\nc\n', 1, 1],
    ['line inserted in the middle', 'a\nc\n', 'a\nb\nc\n', 1, 0],
    ['missing final newline counts as a change, as in git', 'a\nb', 'a\nb\n', 1, 1],
    ['moved block', 'a\nb\nc\nd\n', 'c\nd\na\nb\n', 2, 2],
  ])('%s', (_label, before, after, added, removed) => {
    expect(countChangedLines(before, after)).toEqual({ exact: true, added, removed });
  });

  it('agrees with git diff --numstat on a real edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nocturnal-diff-'));
    try {
      const before = Array.from({ length: 200 }, (_, i) => `const v${i} = ${i};\n`).join('');
      const after = before
        .split('\n')
        .filter((_, i) => i % 17 !== 3)
        .map((l, i) => (i % 23 === 5 ? `${l} // changed` : l))
        .join('\n')
        .concat('export const extra = 1;\n');
      await writeFile(join(dir, 'a.ts'), before);
      await writeFile(join(dir, 'b.ts'), after);
      const [gitAdded, gitRemoved] = gitNumstat(dir).trim().split(/\s+/).map(Number);
      expect(countChangedLines(before, after)).toEqual({ exact: true, added: gitAdded, removed: gitRemoved });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops early once the cap is passed and reports a lower bound', () => {
    expect(countChangedLines(lines(50, 'old'), lines(50, 'new'), 10)).toEqual({ exact: false, atLeast: 11 });
    expect(countChangedLines('', lines(50), 10)).toEqual({ exact: true, added: 50, removed: 0 });
  });

  it('splits keeping terminators', () => {
    expect(splitLines('a\nb')).toEqual(['a\n', 'b']);
    expect(splitLines('')).toEqual([]);
  });
});

/** git diff --no-index exits 1 when files differ; the output is what matters. */
function gitNumstat(dir: string): string {
  try {
    return execFileSync('git', ['diff', '--no-index', '--numstat', 'a.ts', 'b.ts'], { cwd: dir, encoding: 'utf8' });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? '');
  }
}

describe('checkChangeLimits', () => {
  it('accepts a change within every limit and reports its size', () => {
    const result = checkChangeLimits(
      [
        { path: 'a.ts', action: 'replace', oldContent: 'x\ny\n', newContent: 'x\nz\n' },
        { path: 'b.ts', action: 'write', newContent: 'new\n' },
        { path: 'c.ts', action: 'delete', oldContent: 'gone\n' },
      ],
      limits,
    );
    expect(result).toEqual({ ok: true, stats: { files: 3, linesAdded: 2, linesRemoved: 2, exact: true } });
  });

  it('names max_file_changes when too many files change', () => {
    const changes = ['a', 'b', 'c', 'd'].map((p) => ({ path: p, action: 'write' as const, newContent: `${p}\n` }));
    const result = checkChangeLimits(changes, limits);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.violations).toEqual([
        { limit: 'max_file_changes', detail: expect.stringMatching(/4 files; safety.max_file_changes is 3/) },
      ]);
  });

  it('counts several edits of one file once, from its first old to its last new content', () => {
    const result = checkChangeLimits(
      [
        { path: 'a.ts', action: 'replace', oldContent: 'a\n', newContent: 'b\n' },
        { path: 'a.ts', action: 'replace', oldContent: 'b\n', newContent: 'a\n' },
      ],
      limits,
    );
    expect(result).toEqual({ ok: true, stats: { files: 0, linesAdded: 0, linesRemoved: 0, exact: true } });
  });

  it('names max_changed_lines, as a lower bound when counting stopped early', () => {
    const result = checkChangeLimits(
      [{ path: 'big.ts', action: 'replace', oldContent: lines(8, 'a'), newContent: lines(8, 'b') }],
      limits,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.violations).toEqual([
        {
          limit: 'max_changed_lines',
          detail: expect.stringMatching(/at least 11 lines; safety.max_changed_lines is 10/),
        },
      ]);
      expect(result.stats.exact).toBe(false);
    }
  });

  it('adds lines across files', () => {
    const result = checkChangeLimits(
      [
        { path: 'a.ts', action: 'write', newContent: lines(6) },
        { path: 'b.ts', action: 'write', newContent: lines(6) },
      ],
      limits,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.violations.map((v) => v.limit)).toEqual(['max_changed_lines']);
  });

  it('names max_file_bytes with the path, counting UTF-8 bytes', () => {
    const result = checkChangeLimits([{ path: 'wide.txt', action: 'write', newContent: 'é'.repeat(51) }], limits);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.violations).toEqual([
        {
          limit: 'max_file_bytes',
          path: 'wide.txt',
          detail: expect.stringMatching(/102 bytes; safety.max_file_bytes is 100/),
        },
      ]);
  });

  it.each([
    ['a NUL byte in a string', 'a\0b', /NUL byte/],
    ['a NUL byte in bytes', new Uint8Array([0x61, 0x00]), /NUL byte/],
    ['invalid UTF-8', new Uint8Array([0x61, 0xff, 0xfe]), /not valid UTF-8/],
    ['a lone surrogate', 'a\ud800b', /lone surrogate/],
  ])('names binary_content for %s', (_label, content, detail) => {
    const result = checkChangeLimits([{ path: 'bin.dat', action: 'write', newContent: content }], limits);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.violations).toEqual([
        { limit: 'binary_content', path: 'bin.dat', detail: expect.stringMatching(detail) },
      ]);
  });

  it('accepts valid UTF-8 bytes', () => {
    const result = checkChangeLimits(
      [{ path: 'u.txt', action: 'write', newContent: new TextEncoder().encode('héllo ✓\n') }],
      limits,
    );
    expect(result.ok).toBe(true);
  });

  it('reports every violated limit at once', () => {
    const changes = [
      { path: 'a', action: 'write' as const, newContent: 'x'.repeat(101) },
      { path: 'b', action: 'write' as const, newContent: 'b\0' },
      { path: 'c', action: 'write' as const, newContent: lines(12) },
      { path: 'd', action: 'delete' as const, oldContent: 'd\n' },
    ];
    const result = checkChangeLimits(changes, limits);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.violations.map((v) => v.limit).sort()).toEqual([
        'binary_content',
        'max_changed_lines',
        'max_file_bytes',
        'max_file_changes',
      ]);
  });

  it('treats a write without content as a programming error', () => {
    expect(() => checkChangeLimits([{ path: 'a', action: 'write' }], limits)).toThrow(/no new content/);
  });
});
