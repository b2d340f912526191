import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawTrayIcon, renderIcons } from './make-icons';
import { readPngScanlines } from './png';

describe('make-icons', () => {
  it('the committed assets are exactly what the script draws (run `npm run icons` after changing it)', () => {
    const assets = path.resolve(import.meta.dirname, '../assets');
    for (const [name, bytes] of renderIcons()) {
      const committed = path.join(assets, name);
      expect(fs.existsSync(committed), `${name} is missing from assets/`).toBe(true);
      // Compare pixels, not compressed bytes: deflate output may differ between zlib builds.
      const actual = readPngScanlines(fs.readFileSync(committed));
      const expected = readPngScanlines(bytes);
      expect([actual.width, actual.height], name).toEqual([expected.width, expected.height]);
      expect(actual.scanlines.equals(expected.scanlines), `${name} differs from scripts/make-icons.ts`).toBe(true);
    }
  });

  it('marks the states apart: no dot by day, a differently coloured dot for each night state', () => {
    const dotPixel = (state: 'day' | 'armed' | 'working' | 'attention') => {
      const px = drawTrayIcon(state, 32);
      const at = (Math.round(0.77 * 32) * 32 + Math.round(0.77 * 32)) * 4;
      return [...px.subarray(at, at + 4)].join(',');
    };
    expect(dotPixel('day').endsWith(',0')).toBe(true);
    const night = new Set([dotPixel('armed'), dotPixel('working'), dotPixel('attention')]);
    expect(night.size).toBe(3);
  });
});
