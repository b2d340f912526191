// The outline read by the real tree-sitter grammars: signatures without bodies, class methods, exported
// constants only, imports as written; a language without a grammar gives null (path alone in the map).
import { describe, expect, it } from 'vitest';
import { parseSymbols } from './parse-symbols';

describe('parseSymbols', () => {
  it('reads TypeScript: functions, classes with methods, exported consts, types, imports', async () => {
    const source = [
      "import { clamp } from './math';",
      "export { helper } from '../util/helper';",
      'const internal = 1;',
      'export const LIMIT = 10;',
      'export interface Job { id: string }',
      'export type Id = string;',
      'export function schedule(job: Job, at: Date): Id {',
      '  return job.id;',
      '}',
      'export class Queue<T> extends Base {',
      '  push(item: T): void {}',
      '  async pop(): Promise<T | undefined> { return undefined; }',
      '}',
      '',
    ].join('\n');
    const outline = await parseSymbols('src/queue.ts', source);
    expect(outline?.imports).toEqual(['./math', '../util/helper']);
    expect(outline?.symbols.map((s) => [s.kind, s.name, s.signature, s.startLine, s.endLine])).toEqual([
      ['const', 'LIMIT', 'LIMIT = 10', 4, 4],
      ['type', 'Job', 'interface Job', 5, 5],
      ['type', 'Id', 'type Id = string;', 6, 6],
      ['function', 'schedule', 'function schedule(job: Job, at: Date): Id', 7, 9],
      ['class', 'Queue', 'class Queue<T> extends Base', 10, 13],
    ]);
    expect(outline?.symbols[4]?.members.map((m) => [m.name, m.signature, m.startLine])).toEqual([
      ['push', 'push(item: T): void', 11],
      ['pop', 'async pop(): Promise<T | undefined>', 12],
    ]);
  });

  it('reads Python and CommonJS', async () => {
    const python = await parseSymbols(
      'pkg/store.py',
      'from .util import helper\nimport os\nDEFAULTS = {"a": 1}\n\nclass Store(Base):\n    @property\n    def size(self) -> int:\n        return 1\n\n@cache\ndef load(path: str) -> "Store":\n    pass\n',
    );
    expect(python?.imports).toEqual(['.util', 'os']);
    expect(python?.symbols.map((s) => `${s.kind} ${s.name}: ${s.signature}`)).toEqual([
      'const DEFAULTS: DEFAULTS = {"a": 1}',
      'class Store: class Store(Base)',
      'function load: def load(path: str) -> "Store"',
    ]);
    expect(python?.symbols[1]?.members.map((m) => m.name)).toEqual(['size']);
    const js = await parseSymbols(
      'lib/math.js',
      "const { x } = require('./x');\nfunction add(a, b) {\n  return a - b;\n}\nmodule.exports = { add };\n",
    );
    expect(js?.imports).toEqual(['./x']);
    expect(js?.symbols.map((s) => [s.name, s.signature, s.startLine, s.endLine])).toEqual([
      ['add', 'function add(a, b)', 2, 4],
    ]);
  });

  it('gives null for a file no grammar reads', async () => {
    expect(await parseSymbols('README.md', '# hi\n')).toBeNull();
  });
});
