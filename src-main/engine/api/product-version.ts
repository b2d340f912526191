// The product's version for `app:getInfo` outside Electron (the CLI, `serve`): read from the
// package.json this code ships in, found by walking up from this module.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function productVersion(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (parsed.name === 'nocturnal-agent' && typeof parsed.version === 'string') return (cached = parsed.version);
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`package.json of nocturnal-agent not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
