// A file's entry is rendered once per outline, and the whole map is measured without being joined:
// both must give what rendering afresh gives, and a changed file (a new outline) its new symbols.
import { describe, expect, it } from 'vitest';
import { parseSymbols } from './parse-symbols';
import type { FileOutline } from './parse-symbols';
import { renderFileEntry, renderMap, renderedMapLength } from './render';

const source = 'export class Queue {\n  push(item: number): void {}\n}\nexport const LIMIT = 10;\n';

async function outlineOf(file: string, text: string): Promise<FileOutline> {
  const outline = await parseSymbols(file, text);
  if (outline === null) throw new Error(`no outline for ${file}`);
  return outline;
}

describe('renderFileEntry', () => {
  it('gives the kept entry for the same outline and the new symbols for a new one', async () => {
    const outline = await outlineOf('src/queue.ts', source);
    const expected = 'src/queue.ts\n  class Queue  [L1-3]\n    push(item: number): void  [L2]\n  LIMIT = 10  [L4]';
    expect(renderFileEntry('src/queue.ts', outline)).toBe(expected);
    expect(renderFileEntry('src/queue.ts', outline)).toBe(expected);
    // The same content parsed again (another cache's outline) renders the same.
    expect(renderFileEntry('src/queue.ts', await outlineOf('src/queue.ts', source))).toBe(expected);
    const changed = await outlineOf('src/queue.ts', source.replace('LIMIT = 10', 'LIMIT = 20'));
    expect(renderFileEntry('src/queue.ts', changed)).toBe(expected.replace('LIMIT = 10', 'LIMIT = 20'));
    expect(renderFileEntry('src/queue.ts', outline)).toBe(expected);
    // Asked under another path, an outline is rendered for that path, never with the kept one's.
    expect(renderFileEntry('lib/queue.ts', outline)).toBe(expected.replace('src/queue.ts', 'lib/queue.ts'));
    expect(renderFileEntry('src/empty.ts', null)).toBe('src/empty.ts');
  });
});

describe('renderedMapLength', () => {
  it('is the length of the rendered map, whatever the entries and however many of the total they are', () => {
    const cases: [string[], number][] = [
      [[], 0],
      [[], 3],
      [['a.ts'], 1],
      [['a.ts', 'src/b.ts\n  function b()  [L1]', 'c'], 3],
      [['a.ts', 'src/b.ts\n  function b()  [L1]'], 10_000],
    ];
    for (const [entries, total] of cases) {
      const lengths = entries.reduce((sum, e) => sum + e.length, 0);
      expect(renderedMapLength(lengths, entries.length, total)).toBe(renderMap(entries, total).length);
    }
  });
});
