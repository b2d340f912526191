// Runs the bundled CLI (one CommonJS script) through V8's code cache, the way v8-compile-cache does:
// Node 20 has no compile cache of its own (module.enableCompileCache() came in 22.1), and compiling
// the bundle was the largest single cost of a quick command's start (docs/performance.md "CLI").
//
// The cache is a file the launcher keeps beside the bundle, the only place as trusted as the bundle
// itself (cached code runs as the bundle would: a cache in a shared or user-writable folder would let
// whoever writes it run code as the user). Its first line is a key: a hash of the bundle's bytes, Node's
// version and architecture, and the flags V8 runs with; a cache made for anything else is ignored,
// never fed to V8 (V8's own check compares only the source's length). A cache V8 rejects anyway, or
// none, is written again when the process exits, to a temporary file renamed over the old one, so a
// concurrent run reads the old cache or the new one, never half of one. Where the folder cannot be
// written (an installed package owned by root, the app's read-only archive) each run compiles, as it
// would with no cache: a cache is a saving, never a condition for running.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

const magic = 'nocturnal-v8-cache';

export interface CodeCacheRun {
  /** How this run compiled the script: from a cache V8 accepted, or from source (and why). */
  readonly compiled: 'from-cache' | 'no-cache' | 'other-key' | 'rejected';
  /** What the script left in module.exports. */
  readonly exports: unknown;
  /**
   * Writes the cache for the next run when this run could not use one; never throws. Not after a long
   * run (`run`, `serve`): by then V8 has compiled mostly the session's code, which every quick command
   * would deserialize for nothing; the next quick command writes it instead.
   */
  saveIfNeeded(uptimeSeconds?: number): void;
}

/** Longest run whose compiled code is worth keeping: a quick command, not a night. */
export const codeCacheMaxUptimeSeconds = 30;

/** What a cache is valid for: these exact bytes, run by this Node, with these flags. */
export function codeCacheKey(source: Buffer, env: NodeJS.ProcessEnv = process.env): string {
  return createHash('sha256')
    .update(source)
    .update('\0')
    .update(JSON.stringify([process.version, process.arch, process.execArgv, env['NODE_OPTIONS'] ?? '']))
    .digest('hex');
}

function readCache(cacheFile: string, key: string): { data?: Buffer; matched: boolean } {
  let file: Buffer;
  try {
    file = fs.readFileSync(cacheFile);
  } catch {
    return { matched: false };
  }
  const header = `${magic} ${key}\n`;
  if (file.length <= header.length || file.toString('latin1', 0, header.length) !== header)
    return { matched: false, data: Buffer.alloc(0) };
  return { matched: true, data: file.subarray(header.length) };
}

function writeCache(cacheFile: string, key: string, data: Buffer): void {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temporary, Buffer.concat([Buffer.from(`${magic} ${key}\n`, 'latin1'), data]));
    fs.renameSync(temporary, cacheFile);
  } catch {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * Compiles `file` (CommonJS) with the cache in `cacheFile` when it was made for it, and runs it as Node
 * would run the module: `require` resolving from its folder, `module`, `exports`, `__filename`.
 */
export function runWithCodeCache(file: string, cacheFile: string): CodeCacheRun {
  const source = fs.readFileSync(file);
  const key = codeCacheKey(source);
  const cache = readCache(cacheFile, key);
  // The bundle is ASCII (esbuild escapes strings; scripts/build-cli.test.ts checks the rest), which
  // latin1 reads as UTF-8 would, without UTF-8's decoding pass (~7 ms for the bundle).
  const script = new vm.Script(Module.wrap(source.toString(isAscii(source) ? 'latin1' : 'utf8')), {
    filename: file,
    ...(cache.matched ? { cachedData: cache.data } : {}),
  });
  const compiled = !cache.matched
    ? cache.data
      ? 'other-key'
      : 'no-cache'
    : script.cachedDataRejected
      ? 'rejected'
      : 'from-cache';
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  const module: { exports: unknown; filename: string; id: string; loaded: boolean } = {
    exports: {},
    filename: file,
    id: file,
    loaded: false,
  };
  run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  module.loaded = true;
  return {
    compiled,
    exports: module.exports,
    saveIfNeeded(uptimeSeconds = process.uptime()) {
      if (compiled === 'from-cache' || uptimeSeconds > codeCacheMaxUptimeSeconds) return;
      let data: Buffer;
      try {
        data = script.createCachedData();
      } catch {
        return;
      }
      writeCache(cacheFile, key, data);
    },
  };
}
