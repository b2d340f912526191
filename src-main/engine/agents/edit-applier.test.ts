// The edit applier on a real directory: whitespace-tolerant matching, and a missed search answered
// with the nearest real region, numbered, naming the file so the loop can count misses per file.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTempDir } from '../git/testing/temp-repo';
import { applyEdits } from './edit-applier';

const safety = { protected_paths: ['.env'], max_file_changes: 10, max_changed_lines: 100, max_file_bytes: 100_000 };
const source = 'function add(a, b) {\n    return a - b;\n}\n\nmodule.exports = { add };\n';
let dir: { path: string; cleanup(): Promise<void> } | undefined;
afterEach(async () => {
  await dir?.cleanup();
  dir = undefined;
});

async function workdir(): Promise<string> {
  dir = await createTempDir('nocturnal-apply-');
  fs.writeFileSync(path.join(dir.path, 'math.js'), source);
  return dir.path;
}

describe('applyEdits', () => {
  it('matches a search whose indentation differs from the file', async () => {
    const root = await workdir();
    const result = await applyEdits(
      root,
      [
        {
          path: 'math.js',
          action: 'replace',
          search: 'function add(a, b) {\n  return a - b;\n}',
          replace: 'function add(a, b) {\n  return a + b;\n}',
        },
      ],
      safety,
    );
    expect(result).toMatchObject({ kind: 'applied', files: ['math.js'], created: [] });
    expect(fs.readFileSync(path.join(root, 'math.js'), 'utf8')).toBe(
      'function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n',
    );
  });

  it('names the files it created apart from the ones it changed or deleted', async () => {
    const root = await workdir();
    fs.writeFileSync(path.join(root, 'old.js'), 'module.exports = 1;\n');
    const result = await applyEdits(
      root,
      [
        { path: 'math.js', action: 'replace', search: 'a - b', replace: 'a + b' },
        { path: 'src/new.js', action: 'write', content: 'module.exports = 2;\n' },
        { path: 'old.js', action: 'delete' },
      ],
      safety,
    );
    expect(result).toMatchObject({
      kind: 'applied',
      files: ['math.js', 'src/new.js', 'old.js'],
      created: ['src/new.js'],
    });
    expect(fs.existsSync(path.join(root, 'old.js'))).toBe(false);
  });

  it('answers a missed search with the nearest region, numbered, and names the file as missed', async () => {
    const root = await workdir();
    const result = await applyEdits(
      root,
      [{ path: 'math.js', action: 'replace', search: 'function add(a, b) {\n  return a-b;\n}', replace: 'x' }],
      safety,
    );
    expect(result).toEqual({
      kind: 'feedback',
      missed: ['math.js'],
      problems: [
        'edits[0] (replace math.js): the search text was not found in math.js. The closest region in the current file is:\n   1| function add(a, b) {\n   2|     return a - b;\n   3| }',
      ],
    });
    expect(fs.readFileSync(path.join(root, 'math.js'), 'utf8')).toBe(source);
  });
});
