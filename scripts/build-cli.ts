// Bundles the `nocturnal` command into out/cli/ (part of `npm run build`): one ESM entry plus chunks
// that the commands load on demand, so a run pays only for what its command imports, and no
// TypeScript is transpiled at run time (bin/nocturnal.js runs this bundle when it is there).
//
// External, resolved from node_modules at run time:
// - native code: better-sqlite3's .node file, node-llama-cpp and its prebuilt llama.cpp binaries
//   (which it locates relative to its own files);
// - mvdan-sh, loaded through createRequire by the shell parser (a 3 MB script evaluated only when a
//   check command is parsed).
// - pino-pretty (with its dependencies), loaded through createRequire by the console log destination
//   when it prints its first line: most commands print none, and parsing it cost every run ~15 ms.
// Everything else (commander, zod, yaml, pino, openai, …) is bundled and minified: fewer files to
// resolve, fewer bytes for V8 to parse when the command starts (parsing was most of `status`'s time).
// zod's `z.locales` namespace carries error messages in ~50 languages (60 % of zod's bundled bytes);
// the engine never switches zod's locale (its messages name fields in English), so only `en` is kept.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

export const cliExternals = ['better-sqlite3', 'node-llama-cpp', 'mvdan-sh'];

/** Keeps only zod's English locale: the `locales` namespace resolves to a module exporting `en`. */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: path.join(args.resolveDir, '../locales/index.js'), namespace: 'zod-locales' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

export function cliBuildOptions(outdir = path.join(root, 'out/cli')): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: { nocturnal: 'src-main/cli/entry.ts' },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: cliExternals,
    // Bundled CommonJS packages call require() for Node built-ins; an ES module has no require.
    banner: {
      js: "import { createRequire as __nocturnalCreateRequire } from 'node:module'; const require = __nocturnalCreateRequire(import.meta.url);",
    },
    chunkNames: 'chunks/[name]-[hash]',
    entryNames: '[name]',
    outExtension: { '.js': '.js' },
    sourcemap: 'linked',
    legalComments: 'none',
    minify: true,
    metafile: true,
    plugins: [zodEnglishOnly],
    logLevel: 'warning',
  };
}

/** Builds the bundle; returns the metafile (what went into which output). */
export async function buildCli(outdir = path.join(root, 'out/cli')): Promise<Metafile> {
  // Built beside and swapped in whole: a `nocturnal` started during the build runs the old bundle or
  // the new one, never half of each.
  const building = `${outdir}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const result = await build(cliBuildOptions(building));
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(building, outdir);
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const metafile = await buildCli();
  const outputs = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.js'));
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(`out/cli: ${outputs.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
}
