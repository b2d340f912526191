// The bundled `nocturnal`: what a quick command loads, and the command an `npm pack` of the project
// installs. The package is packed from a scratch copy of the project files (bin, package.json, the
// bundle built into it), so the repository's own out/cli is never rebuilt under other tests' feet.
import { execFileSync, spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unexpectedStderr } from '../src-main/cli/testing/night-fixture';
import { createTempRepo } from '../src-main/engine/git/testing/temp-repo';
import { buildGguf } from '../src-main/engine/models/testing/hand-made-gguf';
import type * as SamplerModule from '../src-main/engine/safety/resources/system-sampler';
import { buildCli, cliBuildOptions } from './build-cli';
import { ensureTinyModel } from './tiny-model-fixture';

const root = path.resolve(import.meta.dirname, '..');
const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;

let scratch: string;
let project: string;
let metafile: Metafile;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-pack-'));
  project = path.join(scratch, 'project');
  fs.mkdirSync(path.join(project, 'bin'), { recursive: true });
  for (const file of ['package.json', 'README.md', 'bin/nocturnal.js'])
    fs.copyFileSync(path.join(root, file), path.join(project, file));
  // The bundle resolves its externals (better-sqlite3, node-llama-cpp) from node_modules.
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(project, 'node_modules'));
  metafile = await buildCli(path.join(project, 'out/cli'));
}, 180_000);

afterAll(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const bundlePath = () => path.join(project, 'out/cli/nocturnal-cli.cjs');

/**
 * Inputs a run evaluates when it imports `sources`: their static imports, followed (packages as
 * `external:NAME`). In the one-script bundle every module is evaluated only when something imports it
 * (esbuild wraps each in a lazy initialiser), so this is what a command that imports `sources` runs.
 */
function evaluatedInputs(sources: readonly string[]): Set<string> {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file)) return;
    found.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) found.add(`external:${imported.path}`);
      else visit(imported.path);
    }
  };
  for (const source of sources) {
    const input = Object.keys(metafile.inputs).find((file) => file === source);
    if (!input) throw new Error(`${source} is not in the bundle`);
    visit(input);
  }
  return new Set([...found].map((file) => file.replace(/^(\.\.\/)+main\//, '')));
}

describe('the bundled CLI', () => {
  it('evaluates no model runtime, OpenAI client, system probe, server, scheduler or simple-git for `status` and `task list`', () => {
    // What those commands import: the entry, then on demand the engine, the engine API and the channel call.
    const inputs = evaluatedInputs([
      'src-main/cli/entry.ts',
      'src-main/engine/engine.ts',
      'src-main/engine/api/create-engine-api.ts',
      'src-main/engine/api/call-channel.ts',
      'src-main/engine/api/product-version.ts',
    ]);
    const packages = [...inputs].filter(
      (file) => file.startsWith('external:') && !/^external:(node:)?[a-z_]+(\/[a-z_]+)?$/.test(file),
    );
    expect(packages).toEqual(['external:better-sqlite3']);
    const heavy = [...inputs].filter((file) =>
      /^node-llama-cpp-shim:|^external:(node-llama-cpp|openai|simple-git|systeminformation)$|node_modules\/(openai|systeminformation|simple-git)\/|src-main\/server\/|src-main\/engine\/llm\/(llama|openai)-provider/.test(
        file,
      ),
    );
    expect(heavy).toEqual([]);
    // Nor what only a session needs: the scheduler's session runner, the agents.
    const sessionOnly = [...inputs].filter((file) =>
      /src-main\/engine\/scheduler\/(session-runner|attempt\/)|src-main\/engine\/agents\//.test(file),
    );
    expect(sessionOnly).toEqual([]);
    // They are still in the bundle, evaluated when a session imports them.
    for (const source of ['src-main/engine/scheduler/session-runner.ts', 'src-main/engine/agents/model-caller.ts'])
      expect(Object.keys(metafile.inputs)).toContain(source);
  });

  it('reaches node-llama-cpp only after loading it: the llama modules are imported by create-provider.ts alone', () => {
    // The bundle's static `import … from 'node-llama-cpp'` reads what importNodeLlamaCpp() loaded; a
    // module that imported them by another route would find nothing there.
    const shim = Object.keys(metafile.inputs).find((file) => file.startsWith('node-llama-cpp-shim:'));
    if (!shim) throw new Error('the node-llama-cpp shim is not in the bundle');
    const importers = new Map<string, { file: string; kind: string }[]>();
    for (const [file, input] of Object.entries(metafile.inputs))
      for (const imported of input.imports)
        importers.set(imported.path, [...(importers.get(imported.path) ?? []), { file, kind: imported.kind }]);
    const usesShim = new Set<string>([shim]);
    const entries: string[] = [];
    const queue = [shim];
    for (let file = queue.pop(); file !== undefined; file = queue.pop())
      for (const importer of importers.get(file) ?? []) {
        if (importer.kind === 'dynamic-import') entries.push(`${importer.file} -> ${file}`);
        else if (!usesShim.has(importer.file)) {
          usesShim.add(importer.file);
          queue.push(importer.file);
        }
      }
    expect(entries).toEqual(['src-main/engine/llm/create-provider.ts -> src-main/engine/llm/llama-provider.ts']);
  });

  it('is one ASCII script with no import() left in it (it runs through V8’s code cache, which has none)', () => {
    const bytes = fs.readFileSync(bundlePath());
    expect(isAscii(bytes)).toBe(true);
    expect(bytes.toString('latin1')).not.toMatch(/\bimport\(/);
    expect(
      fs
        .readdirSync(path.join(project, 'out/cli'))
        .filter((name) => !name.endsWith('.v8cache'))
        .sort(),
    ).toEqual(['nocturnal-cli.cjs', 'nocturnal-cli.cjs.map', 'nocturnal.js']);
  });

  it('reads memory and power through systeminformation from the bundle (a CommonJS module imported on demand)', async () => {
    // A bundle's namespace for a CommonJS module may have no named exports: `run` once warned "mem is not a function".
    const outdir = path.join(project, 'out/sampler');
    await build({
      ...cliBuildOptions(outdir),
      entryPoints: { sampler: 'src-main/engine/safety/resources/system-sampler.ts' },
      metafile: false,
    });
    const { createSystemSampler } = (await import(path.join(outdir, 'sampler.cjs'))) as typeof SamplerModule;
    const sampler = createSystemSampler();
    const memory = await sampler.memoryPercent();
    expect(memory).toBeGreaterThan(0);
    expect(memory).toBeLessThanOrEqual(100);
    expect(typeof (await sampler.power()).onAc).toBe('boolean');
  });

  it('leaves pino-pretty out: the console loads it with its first line (most commands print none)', () => {
    expect(
      Object.keys(metafile.inputs).filter((file) => /node_modules\/(pino-pretty|dateformat|colorette)\//.test(file)),
    ).toEqual([]);
  });

  it('keeps only the English messages of zod', () => {
    const zodLocales = Object.keys(metafile.inputs).filter(
      (file) => !file.startsWith('zod-locales:') && /node_modules\/zod\/.*\/locales\/[a-z-]+\.js$/i.test(file),
    );
    expect(zodLocales.map((file) => path.basename(file))).toEqual(['en.js']);
  });
});

describe('npm pack → the installed `nocturnal`', () => {
  let prefix: string;
  let packed: string[];

  beforeAll(() => {
    const pack = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], {
      cwd: project,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const [report] = JSON.parse(pack) as { filename: string; files: { path: string }[] }[];
    if (!report) throw new Error(`npm pack reported nothing: ${pack}`);
    packed = report.files.map((file) => file.path);
    // What `npm install -g --prefix <prefix> <tarball>` lays out on Linux and macOS: the package under
    // lib/node_modules and its bin linked into bin/. The dependencies are the ones already installed
    // here (this machine cannot download better-sqlite3 or node-llama-cpp); the dependency closure
    // itself is checked by `npm ls --omit=dev` in docs/packaging.md.
    prefix = path.join(scratch, 'prefix');
    const packageDir = path.join(prefix, 'lib/node_modules/nocturnal-agent');
    fs.mkdirSync(packageDir, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(scratch, report.filename), '-C', packageDir, '--strip-components=1']);
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(packageDir, 'node_modules'));
    fs.mkdirSync(path.join(prefix, 'bin'));
    fs.symlinkSync('../lib/node_modules/nocturnal-agent/bin/nocturnal.js', path.join(prefix, 'bin/nocturnal'));
  }, 180_000);

  const nocturnal = (...argv: string[]) =>
    spawnSync(path.join(prefix, 'bin/nocturnal'), argv, {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env['PATH'], HOME: scratch },
    });

  it('ships the launcher and the bundle, and no sources, tests or source maps', () => {
    expect(packed).toContain('bin/nocturnal.js');
    expect(packed).toContain('out/cli/nocturnal.js');
    expect(packed).toContain('out/cli/nocturnal-cli.cjs');
    expect(packed).toContain('package.json');
    // No code cache: one made by this machine's Node is not for the installing user's.
    expect(packed.filter((file) => /^src-|\.ts$|\.map$|\.v8cache$|^scripts\//.test(file))).toEqual([]);
  });

  it('prints the version and reads a home: task list, status', () => {
    const home = path.join(scratch, 'home');
    const shown = nocturnal('--version');
    expect(shown.stderr).toBe('');
    expect(shown.stdout).toBe(`${version}\n`);
    expect(shown.status).toBe(0);

    const empty = nocturnal('--home', home, 'task', 'list');
    expect(empty.stdout).toContain('no tasks yet');
    expect(empty.status).toBe(0);
    const status = nocturnal('--home', home, 'status');
    expect(status.stderr).toBe('');
    expect(status.stdout).toContain(`home: ${home}`);
    expect(status.stdout).toContain('tasks: none');
    expect(status.status).toBe(0);
    // The console's readable log lines: pino-pretty is loaded from node_modules by the first one.
    const verbose = nocturnal('--home', home, '--verbose', 'task', 'list');
    expect(verbose.stderr).toMatch(/^\[\d{2}:\d{2}:\d{2}\] DEBUG: engine: engine started$/m);
    expect(verbose.status).toBe(0);
  });

  it('keeps its compiled code beside the bundle, and a run from that cache answers as the first did', () => {
    const home = path.join(scratch, 'home-cached');
    const cache = path.join(prefix, 'lib/node_modules/nocturnal-agent/out/cli/nocturnal-cli.cjs.v8cache');
    fs.rmSync(cache, { force: true });
    const first = nocturnal('--home', home, 'status');
    expect(first.status).toBe(0);
    expect(fs.readFileSync(cache, 'latin1')).toMatch(/^nocturnal-v8-cache [0-9a-f]{64}\n/);
    const written = fs.statSync(cache).mtimeMs;
    const second = nocturnal('--home', home, 'status');
    expect({ stdout: second.stdout, stderr: second.stderr, status: second.status }).toEqual({
      stdout: first.stdout,
      stderr: first.stderr,
      status: 0,
    });
    // Used, not written again.
    expect(fs.statSync(cache).mtimeMs).toBe(written);
  });

  it('reads a GGUF model through node-llama-cpp (an ES module the bundle loads through its launcher)', () => {
    const home = path.join(scratch, 'home-doctor');
    const model = path.join(scratch, 'tiny.gguf');
    fs.writeFileSync(model, buildGguf());
    const run = spawnSync(path.join(prefix, 'bin/nocturnal'), ['--home', home, 'doctor'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env['PATH'],
        HOME: scratch,
        NOCTURNAL_LLM_PROVIDER: 'llama',
        NOCTURNAL_LLM_MODEL_PATH: model,
        NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
      },
    });
    expect(run.stdout).toMatch(new RegExp(`^OK {4}model: ${model}: GGUF v3, llama, \\d+ tensors, 0\\.00 GB$`, 'm'));
  });

  it('works a task on the embedded model: the llama provider’s node-llama-cpp imports find what the launcher loaded', async () => {
    const home = path.join(scratch, 'home-llama');
    const repo = await createTempRepo({ files: { 'calc.js': 'exports.add = (a, b) => a - b;\n', 'test.js': '' } });
    try {
      const env = {
        PATH: process.env['PATH'],
        HOME: scratch,
        NOCTURNAL_HOME: home,
        NOCTURNAL_LLM_PROVIDER: 'llama',
        NOCTURNAL_LLM_MODEL_PATH: await ensureTinyModel(),
        NOCTURNAL_LLM_GPU: 'false',
        NOCTURNAL_LLM_THREADS: '1',
        NOCTURNAL_LLM_CONTEXT_SIZE: '4096',
        NOCTURNAL_LLM_MAX_TOKENS: '200',
        NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '1',
        // A busy test machine must not pause the night (as in testing/night-fixture.ts).
        NOCTURNAL_SAFETY_MAX_CPU_PERCENT: '100',
        NOCTURNAL_SAFETY_MAX_MEMORY_PERCENT: '100',
        NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
        NOCTURNAL_SAFETY_PAUSE_ON_BATTERY: 'false',
      };
      const cli = (...argv: string[]) =>
        spawnSync(path.join(prefix, 'bin/nocturnal'), argv, { encoding: 'utf8', timeout: 240_000, env });
      expect(cli('workspace', 'add', repo.path, '--name', 'calc', '--test', 'node test.js', '--no-check').status).toBe(
        0,
      );
      expect(cli('task', 'add', 'calc', 'Fix add()').status).toBe(0);
      const run = cli('run', '--now');
      // Now and then a nonsense reply runs past max_tokens and the engine warns and goes on: that is the
      // model, not the binding. Anything else on stderr (an import the launcher failed to provide) fails.
      expect(unexpectedStderr(run.stderr)).toEqual([]);
      expect(run.stdout).toContain('loading the model: 100%');
      expect(run.status).toBe(0);
      const report = JSON.parse(cli('report', '--json').stdout) as {
        session: { stats: { tasksDone: number; completionTokens: number } };
      };
      expect(report.session.stats.tasksDone).toBe(1);
      // The model really generated: tokens recorded against the llama provider.
      expect(report.session.stats.completionTokens).toBeGreaterThan(0);
    } finally {
      await repo.cleanup();
    }
  }, 300_000);
});

describe('the packaged app’s launcher (packaging/cli/nocturnal)', () => {
  it('runs the bundle inside the app with the app’s executable as Node, through the /usr/bin link the .deb makes', () => {
    // The Linux layout: /opt/<product>/nocturnal-agent and /opt/<product>/resources/{app.asar,bin}.
    // app.asar is a folder here (the archive needs Electron to read), and the executable a stand-in that
    // runs Node the way Electron does with ELECTRON_RUN_AS_NODE=1, refusing to run without it.
    const opt = path.join(scratch, 'opt', 'Nocturnal Agent');
    fs.mkdirSync(path.join(opt, 'resources', 'bin'), { recursive: true });
    fs.symlinkSync(project, path.join(opt, 'resources', 'app.asar'));
    fs.copyFileSync(path.join(root, 'packaging/cli/nocturnal'), path.join(opt, 'resources', 'bin', 'nocturnal'));
    fs.chmodSync(path.join(opt, 'resources', 'bin', 'nocturnal'), 0o755);
    fs.writeFileSync(
      path.join(opt, 'nocturnal-agent'),
      `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "started as the app, not as Node" >&2; exit 9; }\nexec "${process.execPath}" "$@"\n`,
      { mode: 0o755 },
    );
    const usrBin = path.join(scratch, 'usr', 'bin');
    fs.mkdirSync(usrBin, { recursive: true });
    fs.symlinkSync(path.join(opt, 'resources', 'bin', 'nocturnal'), path.join(usrBin, 'nocturnal'));

    const run = spawnSync(path.join(usrBin, 'nocturnal'), ['--version'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env['PATH'], HOME: scratch },
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.status).toBe(0);
  });

  it('says what is wrong when the app next to it is gone', () => {
    const lone = path.join(scratch, 'lone', 'resources', 'bin');
    fs.mkdirSync(lone, { recursive: true });
    fs.copyFileSync(path.join(root, 'packaging/cli/nocturnal'), path.join(lone, 'nocturnal'));
    fs.chmodSync(path.join(lone, 'nocturnal'), 0o755);
    const run = spawnSync(path.join(lone, 'nocturnal'), ['--version'], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe(
      `nocturnal: the Nocturnal Agent app next to ${path.join(lone, 'nocturnal')} is missing or damaged; reinstall it\n`,
    );
    expect(run.status).toBe(1);
  });

  it('the .deb scripts are valid bash and use only the macros electron-builder defines', () => {
    for (const script of ['packaging/deb/after-install.sh', 'packaging/deb/after-remove.sh']) {
      const text = fs.readFileSync(path.join(root, script), 'utf8');
      // electron-builder throws "Macro X is not defined" on any other ${X}.
      expect(new Set(text.match(/\$\{[a-zA-Z]+\}/g))).toEqual(new Set(['${executable}', '${sanitizedProductName}']));
      expect(spawnSync('bash', ['-n', path.join(root, script)]).status).toBe(0);
      expect(text).toContain("'/opt/${sanitizedProductName}/resources/bin/nocturnal'");
    }
  });
});
