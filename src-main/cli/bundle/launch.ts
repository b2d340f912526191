// out/cli/nocturnal.js, what `nocturnal` runs (bin/nocturnal.js, the packaged app's launchers): loads
// the bundled CLI, out/cli/nocturnal-cli.cjs (scripts/build-cli.ts), with its compiled code cached
// between runs. Node 22.1+ (and the app's Electron) cache it themselves (module.enableCompileCache());
// on Node 20 code-cache.ts does, in a file beside the bundle.
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { esmImporterSlot } from '../../engine/llm/node-llama-cpp';
import { runWithCodeCache } from './code-cache';

const bundle = fileURLToPath(new URL('./nocturnal-cli.cjs', import.meta.url));

// The bundle cannot import() an ES module itself (node-llama-cpp.ts says why): it asks through here.
// Bare names resolve from this file's folder, as they would from the bundle's, which sits beside it.
(globalThis as { [esmImporterSlot]?: (specifier: string) => Promise<unknown> })[esmImporterSlot] = (specifier) =>
  import(specifier);

const enableCompileCache = (module as { enableCompileCache?: () => unknown }).enableCompileCache;
if (typeof enableCompileCache === 'function') {
  enableCompileCache();
  createRequire(import.meta.url)(bundle);
} else {
  const run = runWithCodeCache(bundle, `${bundle}.v8cache`);
  process.once('exit', () => run.saveIfNeeded());
}
