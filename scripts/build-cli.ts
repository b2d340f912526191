// Bundles the `nocturnal` command into out/cli/ (part of `npm run build`), so no TypeScript is
// transpiled at run time (bin/nocturnal.js runs this bundle when it is there):
// - out/cli/nocturnal-cli.cjs: the CLI, one CommonJS script. One script, because V8 can cache its
//   compiled code between runs only for a script (Node 20 has no compile cache for ES modules), and
//   compiling the code was most of a quick command's start. Modules that only some commands use are
//   still evaluated only when those commands import them (esbuild wraps each in a lazy initialiser),
//   and code V8 finds in the cache is never parsed.
// - out/cli/nocturnal.js: the launcher (src-main/cli/bundle/launch.ts), an ES module that runs the
//   script with its code cache (src-main/cli/bundle/code-cache.ts: out/cli/nocturnal-cli.cjs.v8cache).
//
// External, resolved from node_modules at run time:
// - native code: better-sqlite3's .node file, node-llama-cpp and its prebuilt llama.cpp binaries
//   (which it locates relative to its own files). node-llama-cpp is an ES module with top-level await,
//   which a CommonJS script can neither require() nor (run through V8's cache) import(): the bundle
//   loads it through the launcher (src-main/engine/llm/node-llama-cpp.ts) and its static imports
//   read that namespace (nodeLlamaCppShim below);
// - mvdan-sh, loaded through createRequire by the shell parser (a 3 MB script evaluated only when a
//   check command is parsed);
// - openai, simple-git and systeminformation (CommonJS packages, half the bytes once bundled), required
//   by the first session or git call.
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

export const cliExternals = [
  'better-sqlite3',
  'node-llama-cpp',
  'mvdan-sh',
  // Large, and only a session (systeminformation, openai) or a git call (simple-git) needs them: left in
  // node_modules, the bundle a quick command reads, hashes and decodes is a third smaller.
  'openai',
  'simple-git',
  'systeminformation',
];

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

/**
 * `import … from 'node-llama-cpp'` in the CommonJS bundle: the namespace that importNodeLlamaCpp()
 * loaded (create-provider.ts loads it before it imports the llama provider). Its dynamic import (the
 * fallback in node-llama-cpp.ts, for a bundle run without the launcher) stays external.
 */
export const nodeLlamaCppShim: Plugin = {
  name: 'node-llama-cpp-shim',
  setup(build) {
    build.onResolve({ filter: /^node-llama-cpp$/ }, (args) =>
      args.kind === 'dynamic-import'
        ? { path: args.path, external: true }
        : { path: 'node-llama-cpp', namespace: 'node-llama-cpp-shim' },
    );
    build.onLoad({ filter: /.*/, namespace: 'node-llama-cpp-shim' }, () => ({
      contents: `const loaded = globalThis[Symbol.for('nocturnal.node-llama-cpp')];
if (!loaded) throw new Error('node-llama-cpp was used before importNodeLlamaCpp() loaded it (src-main/engine/llm/node-llama-cpp.ts)');
module.exports = loaded;`,
      loader: 'js',
    }));
  },
};

export function cliBuildOptions(outdir = path.join(root, 'out/cli')): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: { 'nocturnal-cli': 'src-main/cli/entry.ts' },
    outdir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20.19',
    external: cliExternals.filter((name) => name !== 'node-llama-cpp'),
    // A script run through V8's code cache cannot import(): dynamic imports of the CommonJS externals
    // become require() (node-llama-cpp's goes through the launcher, node-llama-cpp.ts).
    supported: { 'dynamic-import': false },
    // The sources' import.meta.url (createRequire, finding package.json): the bundle's own URL.
    banner: { js: 'var __nocturnalImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__nocturnalImportMetaUrl' },
    entryNames: '[name]',
    outExtension: { '.js': '.cjs' },
    sourcemap: 'linked',
    legalComments: 'none',
    // Escapes what is not ASCII, so the launcher can read the bundle without decoding UTF-8 (code-cache.ts).
    charset: 'ascii',
    minify: true,
    metafile: true,
    plugins: [zodEnglishOnly, nodeLlamaCppShim],
    logLevel: 'warning',
  };
}

/** The launcher, out/cli/nocturnal.js: Node built-ins only (node-llama-cpp.ts gives it the slot's name). */
export function launcherBuildOptions(outdir = path.join(root, 'out/cli')): BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: { nocturnal: 'src-main/cli/bundle/launch.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    external: ['node-llama-cpp'],
    entryNames: '[name]',
    legalComments: 'none',
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
  await build(launcherBuildOptions(building));
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(building, outdir);
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const metafile = await buildCli();
  const outputs = Object.entries(metafile.outputs).filter(([file]) => !file.endsWith('.map'));
  const bytes = outputs.reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(`out/cli: ${outputs.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
}
