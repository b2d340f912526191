// CLI benchmark (issue 12 "CLI"): `nocturnal status`, `task list` and `task add` against a floor — a
// Node process that opens the same database with better-sqlite3 and runs the query the command needs —
// run side by side, alternating, as separate processes (what a user's shell does). Goal: each ≤ 3× its
// floor. Then the foreground scheduler (`nocturnal run`) left idle: resident memory and CPU over two
// windows, the first right after start-up and the second after it, the goal judged on the second as
// the process idles a night (goals: < 100 MB RSS, < 0.5 % CPU; the first window is printed beside it). Runs the bundled CLI (bin/nocturnal.js → out/cli), which
// it builds first. See docs/performance.md "## CLI".
//
//   npm run bench:cli                  (= npx tsx bench/cli.ts; 7 rounds, two 30-s idle windows)
//   npx tsx bench/cli.ts --quick       (3 rounds, two 12-s idle windows)
//   npx tsx bench/cli.ts --rounds 15
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { buildCli } from '../scripts/build-cli';
import { createTempRepo } from '../src-main/engine/git/testing/temp-repo';
import { publishBenchResult } from './bench-result';
import type { BenchMetric } from './bench-result';
import { formatNumber, formatTable, median } from './bench-stats';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'bin/nocturnal.js');
const goalRatio = 3;
const goalRssMb = 100;
const goalCpuPercent = 0.5;

function options(argv: readonly string[]): { rounds: number; idleSeconds: number } {
  const quick = argv.includes('--quick');
  const index = argv.indexOf('--rounds');
  const rounds = index < 0 ? (quick ? 3 : 7) : Number(argv[index + 1]);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
  return { rounds, idleSeconds: quick ? 6 : 15 };
}

/** The floor: open the database, run the command's query, print the rows (as the command prints). */
const floorScripts: Record<string, string> = {
  status: `
    const db = new Database(file, { readonly: true, fileMustExist: true });
    const queue = db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status').all();
    const last = db.prepare('SELECT * FROM sessions ORDER BY started_at DESC LIMIT 1').get();
    const waiting = db.prepare("SELECT COUNT(*) AS n FROM attempts WHERE status = 'review'").get();
    console.log(JSON.stringify({ queue, last, waiting }));`,
  'task list': `
    const db = new Database(file, { readonly: true, fileMustExist: true });
    for (const t of db.prepare('SELECT t.*, w.name AS workspace FROM tasks t JOIN workspaces w ON w.id = t.workspace_id ORDER BY t.created_at').all()) console.log(t.id, t.status, t.workspace, t.title);`,
  'task add': `
    const db = new Database(file, { fileMustExist: true });
    const w = db.prepare('SELECT id FROM workspaces WHERE name = ?').get('calc');
    const now = new Date().toISOString();
    const id = 'f' + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
    db.prepare("INSERT INTO tasks (id, workspace_id, title, priority, executor, status, created_at, updated_at) VALUES (?, ?, ?, 'medium', 'direct', 'queued', ?, ?)").run(id, w.id, 'Floor task', now, now);
    console.log(id);`,
};

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${[command, ...args].join(' ')} failed (${result.status}): ${result.stderr}`);
  return ms;
}

/** Resident memory (MiB) and CPU time (ms) of a process, from /proc. */
function sample(pid: number): { rssMb: number; cpuMs: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  // Fields 14 and 15 of /proc/PID/stat (after the parenthesised name): utime and stime in clock ticks.
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: rssKb / 1024, cpuMs: (ticks * 1000) / 100 };
}

async function idleRun(
  home: string,
  env: NodeJS.ProcessEnv,
  seconds: number,
): Promise<{ rssMb: number; cpuPercent: number; startCpuPercent: number; peakRssMb: number }> {
  const child = spawn(process.execPath, [bin, '--home', home, 'run'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    // Settled: it has said what it waits for, and start-up garbage had a moment to go.
    const deadline = Date.now() + 30_000;
    while (!/waiting|night mode is off/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`nocturnal run did not settle: ${output}`);
      await new Promise((done) => setTimeout(done, 100));
    }
    await new Promise((done) => setTimeout(done, 2_000));
    const pid = child.pid;
    if (pid === undefined) throw new Error('nocturnal run has no pid');
    // Two windows of 2 × `seconds` each, back to back: the first still holds the tail of start-up (V8
    // collects the start-up garbage in idle GCs some 15–30 s in, per /proc's per-thread times: its GC
    // helper threads); the second is the process as it idles through a night, which is what the
    // < 0.5 % goal is about. Both are printed.
    let peak = sample(pid).rssMb;
    const window = async () => {
      const before = sample(pid);
      const started = performance.now();
      for (let waited = 0; waited < 2 * seconds * 1000; waited += 500) {
        await new Promise((done) => setTimeout(done, 500));
        peak = Math.max(peak, sample(pid).rssMb);
      }
      const after = sample(pid);
      return { rssMb: after.rssMb, cpuPercent: ((after.cpuMs - before.cpuMs) / (performance.now() - started)) * 100 };
    };
    const start = await window();
    const settled = await window();
    return {
      rssMb: settled.rssMb,
      peakRssMb: peak,
      cpuPercent: settled.cpuPercent,
      startCpuPercent: start.cpuPercent,
    };
  } finally {
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const { rounds, idleSeconds } = options(process.argv.slice(2));
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; Node ${process.version}; ${rounds} rounds`,
  );
  await buildCli();

  const home = fs.mkdtempSync(path.join(tmpdir(), 'nocturnal-bench-cli-'));
  const repo = await createTempRepo({ files: { 'README.md': '# calc\n', 'test.js': 'process.exit(0)\n' } });
  // The bundled CLI (bin/nocturnal.js runs out/cli when it is there); night mode off so that `run` idles.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    NOCTURNAL_HOME: home,
    NOCTURNAL_SCHEDULER_NIGHT_MODE: 'false',
  };
  const floorEnv: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: home };
  try {
    run(process.execPath, [bin, 'workspace', 'add', repo.path, '--name', 'calc', '--test', 'node test.js'], env);
    for (let i = 1; i <= 20; i++) run(process.execPath, [bin, 'task', 'add', 'calc', `Task ${i}`], env);
    const db = path.join(home, 'nocturnal.db');
    const commands: Record<string, string[]> = {
      status: ['status'],
      'task list': ['task', 'list'],
      'task add': ['task', 'add', 'calc', 'Bench task'],
    };

    const times: Record<string, { cli: number[]; floor: number[] }> = {};
    for (const name of Object.keys(commands)) times[name] = { cli: [], floor: [] };
    // One untimed pass warms the file cache for both sides.
    for (let round = 0; round <= rounds; round++) {
      for (const [name, argv] of Object.entries(commands)) {
        const floorCode = `import Database from 'better-sqlite3'; const file = ${JSON.stringify(db)};${floorScripts[name] ?? ''}`;
        // Alternate which side goes first, so neither always runs on a cache the other warmed.
        const sides = [
          () => run(process.execPath, [bin, ...argv], env),
          () => run(process.execPath, ['--input-type=module', '-e', floorCode], floorEnv),
        ];
        const [first, second] = round % 2 === 0 ? sides : [...sides].reverse();
        const a = first?.() ?? Number.NaN;
        const b = second?.() ?? Number.NaN;
        if (round === 0) continue;
        const [cliMs, floorMs] = round % 2 === 0 ? [a, b] : [b, a];
        times[name]?.cli.push(cliMs);
        times[name]?.floor.push(floorMs);
      }
    }

    const metrics: BenchMetric[] = [];
    const rows: string[][] = [];
    for (const [name, { cli, floor }] of Object.entries(times)) {
      const value = median(cli);
      const base = median(floor);
      const ratio = value / base;
      rows.push([
        `nocturnal ${name}`,
        formatNumber(value, 0),
        formatNumber(base, 0),
        `${formatNumber(ratio, 2)}×`,
        `≤ ${goalRatio}×`,
      ]);
      metrics.push({
        name: `${name} (median wall time)`,
        value,
        unit: 'ms',
        floor: base,
        ratio,
        goal: `≤ ${goalRatio}× floor`,
        met: ratio <= goalRatio,
      });
    }
    console.log(`\n${formatTable(['command', 'CLI ms', 'floor ms', 'ratio', 'goal'], rows)}`);

    const idle = await idleRun(home, env, idleSeconds);
    console.log(
      `\nidle \`nocturnal run\`: ${formatNumber(idle.rssMb)} MiB resident (peak ${formatNumber(idle.peakRssMb)}); CPU ${formatNumber(idle.startCpuPercent, 2)} % in the ${2 * idleSeconds} s after start-up, ${formatNumber(idle.cpuPercent, 2)} % in the ${2 * idleSeconds} s after that`,
    );
    metrics.push({
      name: 'idle `run`: resident memory',
      value: idle.rssMb,
      unit: 'MiB',
      goal: `< ${goalRssMb} MB`,
      met: idle.peakRssMb * 1.048576 < goalRssMb,
      note: `peak ${formatNumber(idle.peakRssMb)} MiB`,
    });
    metrics.push({
      name: 'idle `run`: CPU',
      value: idle.cpuPercent,
      unit: '%',
      goal: `< ${goalCpuPercent} %`,
      met: idle.cpuPercent < goalCpuPercent,
      note: `settled (${2 * idleSeconds}–${4 * idleSeconds} s after start-up); ${formatNumber(idle.startCpuPercent, 2)} % in the first ${2 * idleSeconds} s (start-up's garbage collected)`,
    });

    publishBenchResult({
      bench: 'cli',
      title: 'CLI: bundled `nocturnal` vs a Node process running the same query',
      setup: `${rounds} alternating rounds per command, separate processes, a home with 1 workspace and 20+ tasks; idle \`run\` sampled from /proc over two ${2 * idleSeconds}-s windows after start-up; ${availableParallelism()} cores, Node ${process.version}`,
      metrics,
      tables: [
        { title: 'median wall time per command', header: ['command', 'CLI ms', 'floor ms', 'ratio', 'goal'], rows },
      ],
    });
  } finally {
    await repo.cleanup();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

await main();
