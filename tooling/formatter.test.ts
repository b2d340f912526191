// The formatter is part of lint (`prettier --check .` in `npm run lint`); this proves the repository's
// settings are the ones that check applies and that a badly formatted file fails it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

describe('formatter', () => {
  it('is run by npm run lint', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(manifest.scripts.lint).toMatch(/prettier --check \./);
  });

  it('uses the repository settings: 120 columns, single quotes, trailing commas', async () => {
    const file = join(root, 'src-shared', 'example.ts');
    const options = await prettier.resolveConfig(file);
    expect(options).toMatchObject({ printWidth: 120, singleQuote: true, trailingComma: 'all' });
    const messy = 'const  greeting = "hello"\nexport const items = [greeting,\n"world"]';
    expect(await prettier.check(messy, { ...options, filepath: file })).toBe(false);
    const formatted = await prettier.format(messy, { ...options, filepath: file });
    expect(formatted).toBe("const greeting = 'hello';\nexport const items = [greeting, 'world'];\n");
    expect(await prettier.check(formatted, { ...options, filepath: file })).toBe(true);
  });

  it('keeps lines within 120 columns where it can break them', async () => {
    const file = join(root, 'src-main', 'example.ts');
    const options = await prettier.resolveConfig(file);
    const long = `export const call = compute(${Array.from({ length: 20 }, (_, i) => `argument${i}`).join(', ')});\n`;
    const formatted = await prettier.format(long, { ...options, filepath: file });
    for (const line of formatted.split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });
});
