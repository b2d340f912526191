// `npm run bench`: runs every `bench:<name>` script of package.json (bench:chaos excepted: it kills a
// night 50 times and takes long; run it by itself) with BENCH_RESULTS_DIR set, collects what each
// published through publishBenchResult(), and writes the generated section of docs/performance.md.
// A bench that fails is written down as failed with its error, and the runner exits 1 at the end.
//
//   npm run bench                        every bench
//   npm run bench -- --only scale,cli    some of them (names with or without the "bench:" prefix)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from './bench-result';
import { renderResultsSection, replaceResultsSection } from './results-markdown';
import type { BenchOutcome, MachineInfo } from './results-markdown';

const root = path.resolve(import.meta.dirname, '..');
const skipped = new Set(['bench:chaos']);
const errorTailChars = 2000;

function benchScripts(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  return Object.keys(pkg.scripts ?? {})
    .filter((name) => name.startsWith('bench:') && !skipped.has(name))
    .sort();
}

/** The scripts to run: all, or those `--only` names; an unknown name is a usage error (exit 2). */
export function selectScripts(all: readonly string[], argv: readonly string[]): string[] {
  const index = argv.indexOf('--only');
  if (index < 0) return [...all];
  const value = argv[index + 1];
  if (value === undefined || value.startsWith('--'))
    throw new UsageError('--only takes a comma-separated list of bench names, e.g. --only scale,cli');
  const wanted = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((n) => (n.startsWith('bench:') ? n : `bench:${n}`));
  const unknown = wanted.filter((n) => !all.includes(n) && !skipped.has(n));
  if (unknown.length > 0)
    throw new UsageError(`--only: no such bench script: ${unknown.join(', ')} (known: ${all.join(', ')})`);
  return wanted;
}

class UsageError extends Error {}

function machine(): MachineInfo {
  return {
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 2 ** 30,
    loadAverage: os.loadavg(),
    node: process.version,
  };
}

/** Runs one script, its output passed through; resolves with the exit code and the output's tail. */
function runScript(script: string, resultsDir: string): Promise<{ code: number; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], {
      cwd: root,
      env: { ...process.env, BENCH_RESULTS_DIR: resultsDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const keep = (chunk: Buffer, to: NodeJS.WriteStream) => {
      to.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-errorTailChars);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    child.on('error', (error) => resolve({ code: 1, tail: `${tail}\n${error.message}` }));
    child.on('close', (code, signal) =>
      resolve({ code: code ?? 1, tail: signal ? `${tail}\nkilled by ${signal}` : tail }),
    );
  });
}

function readResults(script: string, dir: string): BenchOutcome[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file): BenchOutcome => {
      const where = path.join(dir, file);
      try {
        const result = JSON.parse(fs.readFileSync(where, 'utf8')) as BenchResult;
        if (typeof result.title !== 'string' || !Array.isArray(result.metrics))
          throw new Error('it is not a BenchResult (no title or metrics)');
        return { kind: 'result', script, result };
      } catch (error) {
        return { kind: 'failed', script, error: `${file}: ${error instanceof Error ? error.message : String(error)}` };
      }
    });
}

async function main(): Promise<number> {
  let scripts: string[];
  try {
    scripts = selectScripts(benchScripts(), process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`npm run bench: ${error.message}\n`);
    return 2;
  }
  const info = machine();
  const date = new Date().toISOString();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-bench-results-'));
  const outcomes: BenchOutcome[] = [];
  try {
    for (const script of scripts) {
      process.stdout.write(`\n=== npm run ${script} ===\n`);
      const dir = path.join(work, script.replace(/[^a-z0-9-]/gi, '_'));
      const { code, tail } = await runScript(script, dir);
      const published = readResults(script, dir);
      if (code !== 0) outcomes.push({ kind: 'failed', script, error: `exit code ${code}\n${tail}` }, ...published);
      else outcomes.push(...(published.length > 0 ? published : [{ kind: 'no-result' as const, script }]));
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const docPath = path.join(root, 'docs', 'performance.md');
  const doc = fs.readFileSync(docPath, 'utf8');
  fs.writeFileSync(docPath, replaceResultsSection(doc, renderResultsSection({ date, machine: info, outcomes })));
  const failed = outcomes.filter((o) => o.kind === 'failed');
  process.stdout.write(
    `\nwrote docs/performance.md: ${outcomes.length} outcome(s), ${failed.length} failed${failed.length > 0 ? ` (${failed.map((f) => f.script).join(', ')})` : ''}\n`,
  );
  return failed.length > 0 ? 1 : 0;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `npm run bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}
