// The shared test model: `<repo>/.fixtures/tiny-llama.gguf`, generated on first use. The vitest global
// setup calls ensureTinyModel() once; tests call it again to learn the path (cheap: the file exists).
// Writes go to a unique temp file renamed into place, so concurrent callers never see half a file.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTinyGguf } from './make-tiny-gguf';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const tinyModelPath = join(repoRoot, '.fixtures', 'tiny-llama.gguf');

export async function ensureTinyModel(): Promise<string> {
  const expected = buildTinyGguf();
  // Compared byte for byte (both are well under a megabyte), so a fixture left over from an older
  // generator is rebuilt rather than trusted.
  const existing = await readFile(tinyModelPath).catch(() => undefined);
  if (existing?.equals(expected) === true) return tinyModelPath;
  await mkdir(dirname(tinyModelPath), { recursive: true });
  const temp = `${tinyModelPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, expected);
    await rename(temp, tinyModelPath);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return tinyModelPath;
}
