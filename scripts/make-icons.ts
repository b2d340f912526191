// Draws the tray icons (one per state, 16 px and 32 px @2x) and the 512 px app icon into assets/.
// The motif is a crescent moon; the tray states differ by the moon's colour and a status dot:
//   day (night mode off): grey moon, no dot    armed: gold moon, blue dot
//   working: gold moon, green dot              attention: gold moon, orange dot
// Shapes are sampled several times per pixel for smooth edges. The output is deterministic, and
// scripts/make-icons.test.ts checks that the committed PNGs are what this script draws.
//
//   npx tsx scripts/make-icons.ts [OUT_DIR]     (default: assets/)
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png';

type Rgba = readonly [number, number, number, number];
/** A layer answers the colour at a point (u, v ∈ [0, 1]), or null where it does not cover it. */
type Layer = (u: number, v: number) => Rgba | null;

export const trayIconStates = ['day', 'armed', 'working', 'attention'] as const;
export type TrayIconState = (typeof trayIconStates)[number];

const gold: Rgba = [245, 215, 110, 255];
const grey: Rgba = [154, 163, 184, 255];
const transparent: Rgba = [0, 0, 0, 0];
const dotColour: Record<TrayIconState, Rgba | null> = {
  day: null,
  armed: [138, 180, 255, 255],
  working: [110, 231, 168, 255],
  attention: [255, 138, 76, 255],
};

const inDisc = (cx: number, cy: number, r: number) => (u: number, v: number) => (u - cx) ** 2 + (v - cy) ** 2 <= r * r;

function crescent(outer: [number, number, number], cut: [number, number, number], colour: Rgba): Layer {
  const inOuter = inDisc(...outer);
  const inCut = inDisc(...cut);
  return (u, v) => (inOuter(u, v) && !inCut(u, v) ? colour : null);
}

function disc(cx: number, cy: number, r: number, colour: Rgba): Layer {
  const inside = inDisc(cx, cy, r);
  return (u, v) => (inside(u, v) ? colour : null);
}

/** Renders layers (first = topmost) with n×n samples per pixel, averaging in premultiplied space. */
function render(size: number, layers: Layer[], samples: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const u = (x + (sx + 0.5) / samples) / size;
          const v = (y + (sy + 0.5) / samples) / size;
          let colour: Rgba = transparent;
          for (const layer of layers) {
            const hit = layer(u, v);
            if (hit) {
              colour = hit;
              break;
            }
          }
          const alpha = colour[3] / 255;
          r += colour[0] * alpha;
          g += colour[1] * alpha;
          b += colour[2] * alpha;
          a += alpha;
        }
      }
      const offset = (y * size + x) * 4;
      const n = samples * samples;
      pixels[offset] = a > 0 ? Math.round(r / a) : 0;
      pixels[offset + 1] = a > 0 ? Math.round(g / a) : 0;
      pixels[offset + 2] = a > 0 ? Math.round(b / a) : 0;
      pixels[offset + 3] = Math.round((a / n) * 255);
    }
  }
  return pixels;
}

export function drawTrayIcon(state: TrayIconState, size: number): Uint8Array {
  const dot = dotColour[state];
  const moon = crescent([0.44, 0.5, 0.4], [0.64, 0.36, 0.33], dot ? gold : grey);
  const layers: Layer[] = dot
    ? [
        disc(0.77, 0.77, 0.19, dot),
        // A transparent ring around the dot keeps it readable on light and dark panels alike.
        disc(0.77, 0.77, 0.27, transparent),
        moon,
      ]
    : [moon];
  return render(size, layers, 5);
}

export function drawAppIcon(size: number): Uint8Array {
  const corner = 0.2;
  const background: Layer = (u, v) => {
    const m = 0.04; // margin, as platform icon grids expect
    const x = Math.min(Math.max(u, m + corner), 1 - m - corner);
    const y = Math.min(Math.max(v, m + corner), 1 - m - corner);
    if (u < m || u > 1 - m || v < m || v > 1 - m || (u - x) ** 2 + (v - y) ** 2 > corner * corner) return null;
    // Vertical night gradient: indigo at the top to near-black at the bottom.
    const t = (v - m) / (1 - 2 * m);
    return [Math.round(34 - 23 * t), Math.round(45 - 29 * t), Math.round(96 - 64 * t), 255];
  };
  const star = (cx: number, cy: number, r: number) => disc(cx, cy, r, [230, 233, 245, 255]);
  return render(
    size,
    [
      star(0.72, 0.25, 0.016),
      star(0.8, 0.42, 0.011),
      star(0.63, 0.16, 0.009),
      star(0.3, 0.2, 0.012),
      star(0.78, 0.68, 0.013),
      crescent([0.46, 0.52, 0.3], [0.6, 0.41, 0.255], gold),
      background,
    ],
    3,
  );
}

/** Every icon file this script owns, by file name. */
export function renderIcons(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const state of trayIconStates) {
    files.set(`tray-${state}.png`, encodePng({ width: 16, height: 16, pixels: drawTrayIcon(state, 16) }));
    files.set(`tray-${state}@2x.png`, encodePng({ width: 32, height: 32, pixels: drawTrayIcon(state, 32) }));
  }
  files.set('icon.png', encodePng({ width: 512, height: 512, pixels: drawAppIcon(512) }));
  return files;
}

async function main(argv: string[]): Promise<void> {
  const outDir = resolve(argv[0] ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', 'assets'));
  await mkdir(outDir, { recursive: true });
  for (const [name, bytes] of renderIcons()) {
    await writeFile(join(outDir, name), bytes);
    console.log(`wrote ${join(outDir, name)} (${bytes.length} bytes)`);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
