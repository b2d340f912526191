import { describe, expect, it } from 'vitest';
import type { DiffFile } from '../../src-shared/domain/review';
import { highlight, languageOf, toHunkData } from './diff-tokens';

const file: DiffFile = {
  path: 'math.js',
  oldPath: null,
  change: 'modified',
  binary: false,
  insertions: 1,
  deletions: 1,
  hunks: [
    {
      header: '@@ -1,3 +1,3 @@',
      oldStart: 1,
      oldLines: 3,
      newStart: 1,
      newLines: 3,
      lines: [
        { kind: 'context', text: 'function add(a, b) {', oldLine: 1, newLine: 1 },
        { kind: 'remove', text: '  return a - b;', oldLine: 2, newLine: null },
        { kind: 'add', text: '  return a + b;', oldLine: null, newLine: 2 },
        { kind: 'context', text: '}', oldLine: 3, newLine: 3 },
      ],
    },
  ],
};

type Node = { type: string; value?: string; properties?: { className?: string[] }; children?: Node[] };
const keywords = (nodes: Node[]): string[] =>
  nodes.flatMap((n) => [
    ...(n.properties?.className?.includes('keyword') ? [n.children?.map((c) => c.value).join('') ?? ''] : []),
    ...keywords(n.children ?? []),
  ]);

describe('diff tokens', () => {
  it('maps the engine’s hunk lines to the library’s changes with both line numbers', () => {
    expect(toHunkData(file)[0]?.changes).toEqual([
      { type: 'normal', isNormal: true, content: 'function add(a, b) {', oldLineNumber: 1, newLineNumber: 1 },
      { type: 'delete', isDelete: true, content: '  return a - b;', lineNumber: 2 },
      { type: 'insert', isInsert: true, content: '  return a + b;', lineNumber: 2 },
      { type: 'normal', isNormal: true, content: '}', oldLineNumber: 3, newLineNumber: 3 },
    ]);
  });

  it('highlights by the file’s language, on both sides', () => {
    expect(languageOf('src/a.ts')).toBe('typescript');
    expect(languageOf('notes.unknownext')).toBeNull();
    const tokens = highlight(toHunkData(file), languageOf(file.path));
    expect(tokens).not.toBeNull();
    expect(keywords((tokens?.old ?? []).flat() as Node[])).toEqual(['function', 'return']);
    expect(keywords((tokens?.new ?? []).flat() as Node[])).toEqual(['function', 'return']);
  });
});
