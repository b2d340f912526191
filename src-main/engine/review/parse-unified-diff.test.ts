import { describe, expect, it } from 'vitest';
import { getDiffText } from '../git/diff-text';
import { createTempRepo } from '../git/testing/temp-repo';
import { parseUnifiedDiff } from './parse-unified-diff';

describe('parseUnifiedDiff on real git output', () => {
  it('splits files and hunks with line numbers, and tells added, deleted, renamed and binary files apart', async () => {
    const repo = await createTempRepo({
      files: {
        'math.js': 'function add(a, b) {\n  return a - b;\n}\n',
        'old.txt': 'going away\n',
        'keep.txt': 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n',
      },
    });
    try {
      const base = await repo.git('rev-parse', 'HEAD');
      await repo.write({
        'math.js': 'function add(a, b) {\n  return a + b;\n}\n',
        'new.txt': 'hello\n',
        'keep.txt': 'a\nB\nc\nd\ne\nf\ng\nh\ni\nj\nk\nL\n',
      });
      await repo.git('mv', 'old.txt', 'moved.txt');
      await repo.git('add', '-A');
      await repo.git('commit', '-qm', 'change');
      const head = await repo.git('rev-parse', 'HEAD');
      const files = parseUnifiedDiff((await getDiffText(repo.path, base, head)).text);

      expect(files.map((f) => [f.path, f.change, f.oldPath])).toEqual([
        ['keep.txt', 'modified', null],
        ['math.js', 'modified', null],
        ['moved.txt', 'renamed', 'old.txt'],
        ['new.txt', 'added', null],
      ]);
      const math = files.find((f) => f.path === 'math.js');
      expect(math).toMatchObject({ insertions: 1, deletions: 1 });
      expect(math?.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3 });
      expect(math?.hunks[0]?.lines).toEqual([
        { kind: 'context', text: 'function add(a, b) {', oldLine: 1, newLine: 1 },
        { kind: 'remove', text: '  return a - b;', oldLine: 2, newLine: null },
        { kind: 'add', text: '  return a + b;', oldLine: null, newLine: 2 },
        { kind: 'context', text: '}', oldLine: 3, newLine: 3 },
      ]);
      // Two changes far apart in one file: two hunks, the second numbered from where it starts.
      const keep = files.find((f) => f.path === 'keep.txt');
      expect(keep?.hunks).toHaveLength(2);
      expect(keep?.hunks[1]?.lines.find((l) => l.kind === 'add')).toEqual({
        kind: 'add',
        text: 'L',
        oldLine: null,
        newLine: 12,
      });
      expect(files.find((f) => f.path === 'new.txt')?.hunks[0]?.lines).toEqual([
        { kind: 'add', text: 'hello', oldLine: null, newLine: 1 },
      ]);
    } finally {
      await repo.cleanup();
    }
  });

  it('marks deleted and binary files', () => {
    const text = [
      'diff --git a/gone.txt b/gone.txt',
      'deleted file mode 100644',
      'index 1111111..0000000',
      '--- a/gone.txt',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-bye',
      'diff --git a/logo.png b/logo.png',
      'new file mode 100644',
      'index 0000000..2222222',
      'Binary files /dev/null and b/logo.png differ',
      '',
    ].join('\n');
    const files = parseUnifiedDiff(text);
    expect(files[0]).toMatchObject({ path: 'gone.txt', change: 'deleted', deletions: 1, insertions: 0 });
    expect(files[0]?.hunks[0]).toMatchObject({ oldStart: 1, oldLines: 1, newStart: 0, newLines: 0 });
    expect(files[1]).toMatchObject({ path: 'logo.png', change: 'added', binary: true, hunks: [] });
  });
});
