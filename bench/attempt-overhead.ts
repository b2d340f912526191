// Per-attempt engine overhead against the raw-git floor (issue 12): `npm run bench:attempt`
// [--attempts N] [--quick] [--sizes N[,N…]] [--stages] [--dir DIR]. On a generated 100-file and
// 10k-file repository (or the `--sizes` given), a night of N attempts (default 20) runs through the
// real engine — worktree pool, integrity checks, SQLite, logs, knowledge notes, the background
// resource sampler — with an instant scripted model on the loopback OpenAI-compatible server (it
// edits the file the prompt shows it) and a trivial check
// (`true`, sandbox off, so the sandbox's own start-up is not what is timed). Side by side, the floor
// runs the git commands an attempt cannot do without, directly, in one reused worktree:
// checkout -B, clean, add, commit, diff --numstat, diff (and the same `true` check). Each attempt is
// timed from task start to task end; the first-5 and last-5 medians show whether attempts slow down
// over the night (ext4 after thousands of deletes). The engine figure still includes the two loopback
// HTTP round trips of the model calls: it is, if anything, overstated.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { defaultConfig } from '../src-shared/config/schema';
import { createEngine } from '../src-main/engine/engine';
import { startLoopbackOpenAiServer } from '../src-main/engine/llm/testing/loopback-openai-server';
import type { BenchMetric } from './bench-result.js';
import { publishBenchResult } from './bench-result.js';
import { formatNumber, formatTable, median } from './bench-stats.js';

const run = promisify(execFile);

interface Args {
  attempts: number;
  sizes: number[];
  dir: string;
  stages: boolean;
}

function parseArgs(argv: string[]): Args {
  let attempts = 20;
  let sizes = [100, 10_000];
  let dir = os.tmpdir();
  let stages = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--quick') {
      attempts = 8;
      sizes = [100, 2_000];
    } else if (arg === '--attempts') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 10)
        usage(
          `--attempts expects a whole number of at least 10, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        );
      attempts = Number(value);
      i++;
    } else if (arg === '--sizes') {
      // One size alone (e.g. `--sizes 100`) for profiling a stage without the other night.
      const parts = value?.split(',') ?? [];
      if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p) || Number(p) < 10))
        usage(
          `--sizes expects comma-separated file counts of at least 10, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        );
      sizes = parts.map(Number);
      i++;
    } else if (arg === '--stages') {
      stages = true;
    } else if (arg === '--dir') {
      if (value === undefined || value === '') usage('--dir expects a folder');
      dir = path.resolve(value);
      i++;
    } else {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { attempts, sizes, dir, stages };
}

function usage(message: string): never {
  process.stderr.write(
    `attempt-overhead: ${message}\nusage: npx tsx bench/attempt-overhead.ts [--attempts N] [--quick] [--sizes N[,N…]] [--stages] [--dir DIR]\n`,
  );
  process.exit(2);
}

const git = (cwd: string, ...args: string[]) =>
  run('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false', ...args], {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'b',
      GIT_AUTHOR_EMAIL: 'b@b',
      GIT_COMMITTER_NAME: 'b',
      GIT_COMMITTER_EMAIL: 'b@b',
    },
    maxBuffer: 64 * 1024 * 1024,
  });

const fileOf = (i: number) => `src/d${Math.floor(i / 100)}/f${i}.ts`;

/** A repository of `files` small TypeScript files, 100 per folder, with build output ignored. */
async function generateRepo(root: string, files: number): Promise<string> {
  const repo = path.join(root, `repo-${files}`);
  await mkdir(repo, { recursive: true });
  await git(repo, 'init', '-q', '--initial-branch=main');
  for (let i = 0; i < files; i++) {
    const file = path.join(repo, fileOf(i));
    if (i % 100 === 0) await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `export const v${i} = ${i};\n`);
  }
  await writeFile(path.join(repo, '.gitignore'), 'build/\n');
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-q', '-m', 'generated');
  return realpath(repo);
}

/** Attempt `n` bumps the constant in file `n` (spread over the tree). */
const targetOf = (n: number, files: number) => Math.floor((n * 7919) % files);

// `--stages` also reports this process's own CPU time (user + system) per attempt: unlike wall time it
// does not count waiting for a core, so it compares engine and floor even on a shared machine.
const cpuPerAttempt = new Map<string, number[]>();
const cpuTimes = (side: string): number[] => {
  const list = cpuPerAttempt.get(side) ?? [];
  cpuPerAttempt.set(side, list);
  return list;
};
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

/**
 * `--stages`: the median time from each progress event of an attempt to the next (the engine's own
 * stage spans), over the steady attempts, so a profile can be read against where the time goes.
 */
function printStageSpans(spans: Map<string, number[]>): void {
  const rows = [...spans].map(([label, times]) => [label, formatNumber(median(times.slice(1)), 1)]);
  process.stdout.write(`\n${formatTable(['from progress event (to the next)', 'median ms'], rows)}\n`);
}

async function engineNight(
  root: string,
  repo: string,
  files: number,
  attempts: number,
  stages: boolean,
): Promise<number[]> {
  const server = await startLoopbackOpenAiServer({
    models: ['m'],
    responder: (request) => {
      const schema = request.body.response_format?.json_schema?.name;
      if (schema !== 'nocturnal_edits') return { content: { score: 0.9, verdict: 'approve', issues: [] } };
      const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
      // The file the task names, as the prompt shows it.
      const shown = /## (src\/\S+\.ts)\n```\nexport const (v\d+) = (\d+);/.exec(prompt);
      if (!shown) return { content: { summary: 'the file is not in the prompt', edits: [] } };
      const [, file, name, value] = shown;
      return {
        content: {
          summary: `bump ${name}`,
          edits: [
            {
              path: file,
              action: 'replace',
              search: `${name} = ${value};`,
              replace: `${name} = ${Number(value) + 1};`,
            },
          ],
        },
      };
    },
  });
  const home = path.join(root, `home-${files}`);
  const base = defaultConfig();
  const config = {
    ...base,
    llm: { ...base.llm, provider: 'openai' as const, api_url: server.url, model: 'm', max_retries: 0 },
    safety: {
      ...base.safety,
      sandbox: 'off' as const,
      max_cpu_percent: 100,
      max_memory_percent: 100,
      min_free_disk_gb: 0,
      pause_on_battery: false,
    },
    quality: { ...base.quality, max_improvement_cycles: 0 },
  };
  const engine = createEngine({ home, config, env: {} });
  try {
    const workspace = await engine.workspaces.add({ path: repo, checks: { test: 'true' } });
    for (let n = 0; n < attempts; n++) {
      const file = fileOf(targetOf(n, files));
      engine.tasks.add({ workspace: workspace.name, title: `Bump the constant in ${file}`, files: [file] });
    }
    const started = new Map<string, number>();
    const times: number[] = [];
    let cpuAtStart = process.cpuUsage();
    const spans = new Map<string, number[]>();
    let last: { label: string; at: number } | undefined;
    const mark = (label: string) => {
      const at = performance.now();
      if (last) spans.set(last.label, [...(spans.get(last.label) ?? []), at - last.at]);
      last = { label, at };
    };
    const session = await engine.runSession({
      trigger: 'manual',
      onProgress: (event) => {
        if (event.type === 'task-started') started.set(event.taskId, performance.now());
        if (event.type === 'task-finished') times.push(performance.now() - (started.get(event.taskId) ?? Number.NaN));
        if (!stages) return;
        if (event.type === 'task-started') cpuAtStart = process.cpuUsage();
        if (event.type === 'task-finished') cpuTimes('engine').push(cpuMs(process.cpuUsage(cpuAtStart)));
        if (event.type === 'attempt') {
          const words = event.progress.message.replace(/\S*[\d/]\S*/g, '#').slice(0, 40);
          mark(`${event.progress.stage}: ${words}`);
        } else if (event.type === 'task-started' || event.type === 'task-finished') {
          mark(event.type);
        }
      },
    });
    if (stages) printStageSpans(spans);
    const statuses = engine.tasks.list().map((t) => t.status);
    if (session.stats.tasksDone !== attempts || statuses.some((s) => s !== 'review' && s !== 'merged')) {
      throw new Error(
        `the engine's night did not finish every attempt cleanly: ${JSON.stringify(statuses)}; ${session.endReason ?? ''}`,
      );
    }
    return times;
  } finally {
    await engine.stop();
    await server.close();
  }
}

/** The same night by hand: one reused worktree, the git commands an attempt needs, run directly. */
async function rawGitNight(root: string, repo: string, files: number, attempts: number): Promise<number[]> {
  const start = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  const worktree = path.join(root, `raw-${files}`);
  await git(repo, 'worktree', 'add', '-q', '--detach', worktree, start);
  const times: number[] = [];
  try {
    for (let n = 0; n < attempts; n++) {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await git(worktree, 'checkout', '-q', '-f', '-B', `raw/${n}`, start);
      await git(worktree, 'clean', '-q', '-ffdx');
      const file = fileOf(targetOf(n, files));
      const text = await readFile(path.join(worktree, file), 'utf8');
      await writeFile(
        path.join(worktree, file),
        text.replace(/= (\d+);/, (_, v: string) => `= ${Number(v) + 1};`),
      );
      await git(worktree, 'add', '--', file);
      await git(worktree, 'commit', '-q', '-m', `bump ${file}`);
      await run('sh', ['-c', 'true'], { cwd: worktree });
      await git(worktree, 'diff', '--numstat', start, 'HEAD');
      await git(worktree, 'diff', start, 'HEAD');
      times.push(performance.now() - t0);
      cpuTimes('raw').push(cpuMs(process.cpuUsage(cpu0)));
    }
  } finally {
    await git(repo, 'worktree', 'remove', '--force', worktree);
  }
  return times;
}

const args = parseArgs(process.argv.slice(2));
const root = await realpath(await mkdtemp(path.join(args.dir, 'nocturnal-bench-attempt-')));
const fsType = await run('df', ['--output=fstype', root])
  .then((r) => r.stdout.trim().split('\n').at(-1) ?? '?')
  .catch(() => '?');
process.stdout.write(
  `per-attempt overhead: ${args.attempts} attempts per repository, in ${root} (${fsType}), ${os.cpus().length} cores\n`,
);
const metrics: BenchMetric[] = [];
const rows: string[][] = [];
try {
  for (const files of args.sizes) {
    const t0 = performance.now();
    const repo = await generateRepo(root, files);
    process.stdout.write(`  generated ${files} files in ${formatNumber((performance.now() - t0) / 1000)} s\n`);
    const engine = await engineNight(root, repo, files, args.attempts, args.stages);
    const raw = await rawGitNight(root, repo, files, args.attempts);
    if (args.stages) {
      const [engineCpu, rawCpu] = [cpuTimes('engine').slice(1), cpuTimes('raw').slice(1)];
      process.stdout.write(
        `  this process's CPU per attempt (median): engine ${formatNumber(median(engineCpu), 1)} ms, raw git ${formatNumber(median(rawCpu), 1)} ms\n`,
      );
      cpuPerAttempt.clear();
    }
    // The first engine attempt also makes the pooled worktree and runs the baseline checks once.
    const steady = engine.slice(1);
    const value = median(steady);
    const floor = median(raw.slice(1));
    const first5 = median(engine.slice(1, 6));
    const last5 = median(engine.slice(-5));
    const rawFirst5 = median(raw.slice(1, 6));
    const rawLast5 = median(raw.slice(-5));
    rows.push([
      `${files} files`,
      formatNumber(engine[0] ?? Number.NaN, 0),
      formatNumber(value, 0),
      formatNumber(floor, 0),
      `${formatNumber(value / floor, 2)}×`,
      `+${formatNumber(value - floor, 0)}`,
      `${formatNumber(first5, 0)} → ${formatNumber(last5, 0)}`,
      `${formatNumber(rawFirst5, 0)} → ${formatNumber(rawLast5, 0)}`,
    ]);
    const label = files >= 1000 ? `${files / 1000}k files` : `${files} files`;
    if (files >= 1000) {
      metrics.push({
        name: `per-attempt overhead, ${label}`,
        value,
        unit: 'ms',
        floor,
        ratio: value / floor,
        goal: '≤ 1.2× floor',
        met: value <= 1.2 * floor,
      });
    } else {
      metrics.push({
        name: `per-attempt overhead, ${label}`,
        value,
        unit: 'ms',
        floor,
        ratio: value / floor,
        goal: '≤ floor + 50 ms',
        met: value - floor <= 50,
        note: `${formatNumber(value - floor, 0)} ms above the floor`,
      });
    }
    metrics.push({
      name: `last-5 / first-5 attempt median, ${label}`,
      value: last5 / first5,
      unit: '×',
      goal: '≤ 1.2 (flat across the night)',
      met: last5 / first5 <= 1.2,
      note: `${formatNumber(first5, 0)} → ${formatNumber(last5, 0)} ms on ${fsType}`,
    });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const header = [
  'repository',
  'engine 1st',
  'engine median',
  'raw git',
  'ratio',
  'above',
  'engine first-5 → last-5',
  'raw first-5 → last-5',
];
process.stdout.write(
  `\n${formatTable(header, rows)}\n(ms per attempt; medians exclude each night's first attempt, shown separately)\n`,
);
publishBenchResult({
  bench: 'attempt-overhead',
  title: 'Per-attempt engine overhead vs raw git',
  setup: `${args.attempts} attempts per repository (${args.sizes.join(' and ')} files), instant scripted model on the loopback server, check \`true\` with the sandbox off, on ${fsType}, ${os.cpus().length} cores`,
  metrics,
  tables: [{ title: 'Per attempt (ms)', header, rows }],
});
