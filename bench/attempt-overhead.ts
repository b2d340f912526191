// Per-attempt engine overhead against the raw-git floor (issue 12): `npm run bench:attempt`
// [--attempts N] [--nights K] [--quick] [--sizes N[,N…]] [--dir DIR]. On a generated 100-file and 10k-file
// repository (or the sizes given), K nights (default 2) of N attempts (default 20) run through the real engine —
// worktree pool, integrity checks, SQLite, logs, knowledge notes, the background resource sampler —
// with an instant scripted model on the loopback OpenAI-compatible server (it edits the file the
// prompt shows it) and a trivial check (`true`, sandbox off, so the sandbox's own start-up is not what is timed). Side by side, the floor
// runs the git commands an attempt cannot do without, directly, in one reused worktree:
// checkout -B, clean, add, commit, diff --numstat, diff (and the same `true` check) — before each of
// the engine's nights and once after the last, alternating with them; the engine's figure is the
// median over all its nights' attempts and the floor the median over all raw nights', so a machine
// that speeds up or slows down over the minutes of a run moves both alike. Each attempt is
// timed from task start to task end; the first-5 and last-5 medians show whether attempts slow down
// over the night (ext4 after thousands of deletes). The goal is the overhead excluding the model, so each
// attempt's model calls (explore, edits, review: loopback HTTP round trips, as the provider timed them)
// are taken off its time; the table shows the wall time with them too.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  /** Engine nights per repository, each preceded by a raw night (one more raw night follows the last). */
  nights: number;
  sizes: number[];
  dir: string;
  /** Print the median time per attempt stage (from one progress event to the next) after each night. */
  stages: boolean;
}

function parseArgs(argv: string[]): Args {
  let attempts = 20;
  let nights = 2;
  let sizes = [100, 10_000];
  let dir = os.tmpdir();
  let stages = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === '--quick') {
      attempts = 8;
      nights = 1;
      sizes = [100, 2_000];
    } else if (arg === '--attempts') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 10)
        usage(
          `--attempts expects a whole number of at least 10, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        );
      attempts = Number(value);
      i++;
    } else if (arg === '--nights') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) < 1)
        usage(
          `--nights expects a whole number of at least 1, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        );
      nights = Number(value);
      i++;
    } else if (arg === '--stages') {
      stages = true;
    } else if (arg === '--sizes') {
      if (value === undefined || !/^\d+(,\d+)*$/.test(value) || value.split(',').some((v) => Number(v) < 10))
        usage(
          `--sizes expects file counts of at least 10, comma-separated, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
        );
      sizes = value.split(',').map(Number);
      i++;
    } else if (arg === '--dir') {
      if (value === undefined || value === '') usage('--dir expects a folder');
      dir = path.resolve(value);
      i++;
    } else {
      usage(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { attempts, nights, sizes, dir, stages };
}

function usage(message: string): never {
  process.stderr.write(
    `attempt-overhead: ${message}\nusage: npx tsx bench/attempt-overhead.ts [--attempts N] [--nights K] [--quick] [--sizes N[,N…]] [--stages] [--dir DIR]\n`,
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
  // Packed, as a cloned repository is. Left to itself, this commit's 10k loose objects start a
  // detached `gc --auto` that packs them while the first attempts run (a workload that changes under
  // the measurement), and git's cache-tree repair in `read-tree` stats every loose blob (~40 ms on
  // 10k files, 3–8 ms packed).
  await git(repo, '-c', 'gc.auto=0', 'commit', '-q', '-m', 'generated');
  await git(repo, 'gc', '-q');
  return realpath(repo);
}

/** Attempt `n` bumps the constant in file `n` (spread over the tree). */
const targetOf = (n: number, files: number) => Math.floor((n * 7919) % files);

/** CPU time per attempt, less noisy than wall time on a shared machine. */
interface CpuPerAttempt {
  /** The engine's own process (the bench's loopback server included: it is in the same process). */
  engine: number;
  /** Reaped child processes (git, the check's shell), from /proc/self/stat; 0 where that is missing. */
  children: number;
}

/** CPU of the reaped children in ms (Linux: cutime + cstime of /proc/self/stat, in clock ticks). */
function childrenCpuMs(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of the line; 14 and 15 after the state (the third field) is where this starts.
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** Per attempt: each stage's label (the progress event that opened it) and how long it lasted. */
type StageSpans = [label: string, ms: number][];

async function engineNight(
  root: string,
  repo: string,
  files: number,
  attempts: number,
  /** Which of the repository's engine nights this is (its own engine home). */
  nightIndex: number,
  /** Runs once the engine is up and its tasks are queued, just before the night starts. */
  beforeNight: () => Promise<void>,
): Promise<{ times: number[]; modelMs: number[]; spans: StageSpans[]; cpu: CpuPerAttempt | null }> {
  const server = await startLoopbackOpenAiServer({
    models: ['m'],
    responder: (request) => {
      const schema = request.body.response_format?.json_schema?.name;
      const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
      if (schema === 'nocturnal_explore') {
        // Asks to read the file the task names, as the map shows it.
        const named = /Bump the constant in (src\/\S+\.ts)/.exec(prompt)?.[1];
        return { content: { files: named ? [named] : [], symbols: [], reason: 'the file to change' } };
      }
      if (schema !== 'nocturnal_edits') return { content: { score: 0.9, verdict: 'approve', issues: [] } };
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
  const home = path.join(root, `home-${files}-${nightIndex}`);
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
    await beforeNight();
    const started = new Map<string, number>();
    // CPU from the second attempt's start to the last one's end (the first makes the pooled worktree).
    const cpuMarks: { from?: [NodeJS.CpuUsage, number]; to?: [NodeJS.CpuUsage, number] } = {};
    const times: number[] = [];
    const finishedTasks: string[] = [];
    const spans: StageSpans[] = [];
    let marks: [string, number][] = [];
    const session = await engine.runSession({
      trigger: 'manual',
      onProgress: (event) => {
        const now = performance.now();
        if (event.type === 'task-started' && times.length === 1) cpuMarks.from = [process.cpuUsage(), childrenCpuMs()];
        if (event.type === 'task-finished' && times.length === attempts - 1)
          cpuMarks.to = [process.cpuUsage(), childrenCpuMs()];
        if (event.type === 'task-started') {
          started.set(event.taskId, now);
          marks = [['start', now]];
        }
        if (event.type === 'attempt')
          marks.push([`${event.progress.stage}: ${event.progress.message.replace(/ \S+\/\S+$/, '')}`, now]);
        if (event.type === 'task-finished') {
          times.push(now - (started.get(event.taskId) ?? Number.NaN));
          finishedTasks.push(event.taskId);
          spans.push(marks.map(([label, t], i) => [label, (marks[i + 1]?.[1] ?? now) - t]));
        }
      },
    });
    const statuses = engine.tasks.list().map((t) => t.status);
    if (session.stats.tasksDone !== attempts || statuses.some((s) => s !== 'review' && s !== 'merged')) {
      throw new Error(
        `the engine's night did not finish every attempt cleanly: ${JSON.stringify(statuses)}; ${session.endReason ?? ''}`,
      );
    }
    // Every model call answered as the engine asked (a failing explore call would time the failure path).
    const interactions = engine.store.interactions.forSession(session.id);
    const failed = interactions.filter((i) => i.error !== null);
    if (failed.length > 0)
      throw new Error(`${failed.length} model call(s) of the night failed: ${failed[0]?.error ?? ''}`);
    const steady = attempts - 1;
    const { from, to } = cpuMarks;
    const cpu: CpuPerAttempt | null =
      from && to
        ? {
            engine: (to[0].user + to[0].system - from[0].user - from[0].system) / 1000 / steady,
            children: (to[1] - from[1]) / steady,
          }
        : null;
    // The model calls' time per attempt, as the provider measured each (request sent to reply parsed).
    const modelMs = finishedTasks.map((taskId) =>
      interactions.filter((i) => i.taskId === taskId).reduce((sum, i) => sum + i.durationMs, 0),
    );
    return { times, modelMs, spans, cpu };
  } finally {
    await engine.stop();
    await server.close();
  }
}

/** The same night by hand: one reused worktree, the git commands an attempt needs, run directly. */
async function rawGitNight(
  root: string,
  repo: string,
  files: number,
  attempts: number,
  label: string,
): Promise<number[]> {
  // The engine lands its changes on nocturnal/integration, never on the checkout's branch: every raw
  // night starts from the commit the engine started from, each on its own worktree and branches.
  const start = (await git(repo, 'rev-parse', 'HEAD')).stdout.trim();
  const worktree = path.join(root, `raw-${label}-${files}`);
  await git(repo, 'worktree', 'add', '-q', '--detach', worktree, start);
  const times: number[] = [];
  try {
    for (let n = 0; n < attempts; n++) {
      const t0 = performance.now();
      await git(worktree, 'checkout', '-q', '-f', '-B', `raw/${label}/${n}`, start);
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
    }
  } finally {
    await git(repo, 'worktree', 'remove', '--force', worktree);
  }
  return times;
}

/** Median ms per stage label over the attempts (a label seen twice in an attempt is summed). */
function stageTable(spans: StageSpans[]): string {
  const per = new Map<string, number[]>();
  for (const attempt of spans) {
    const sums = new Map<string, number>();
    for (const [label, ms] of attempt) sums.set(label, (sums.get(label) ?? 0) + ms);
    for (const [label, ms] of sums) per.set(label, [...(per.get(label) ?? []), ms]);
  }
  return formatTable(
    ['stage (progress event → next)', 'median ms', 'attempts'],
    [...per].map(([label, values]) => [label, formatNumber(median(values), 1), String(values.length)]),
  );
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
    // Raw and engine nights alternate (raw, engine, raw, engine, …, raw). A raw night before an engine
    // night runs with that engine up (its modules loaded, its heap grown), in the state the raw night
    // after it runs in, since what a spawn costs grows with the process that forks.
    const rawNights: number[][] = [];
    const nights: Awaited<ReturnType<typeof engineNight>>[] = [];
    for (let k = 0; k < args.nights; k++) {
      nights.push(
        await engineNight(root, repo, files, args.attempts, k, async () => {
          rawNights.push(await rawGitNight(root, repo, files, args.attempts, `n${k}`));
        }),
      );
    }
    rawNights.push(await rawGitNight(root, repo, files, args.attempts, 'after'));
    if (args.stages) {
      process.stdout.write(`${stageTable(nights.flatMap((night) => night.spans.slice(1)))}\n`);
      for (const [k, night] of nights.entries())
        if (night.cpu)
          process.stdout.write(
            `CPU per attempt (night ${k + 1}, after its first): engine process ${formatNumber(night.cpu.engine, 1)} ms, its child processes (git, the check) ${formatNumber(night.cpu.children, 1)} ms\n`,
          );
    }
    // The first engine attempt of a night also makes the pooled worktree and runs the baseline checks
    // once; the first raw attempt of each night checks out the whole tree: medians leave both out.
    // The goal is the engine's overhead "excluding model and checks": each attempt's time less its
    // model calls (the check, `true`, is in the floor too). The wall time with them is shown beside it.
    const overheads = nights.map((night) => night.times.map((ms, i) => ms - (night.modelMs[i] ?? 0)));
    const value = median(overheads.flatMap((o) => o.slice(1)));
    const floor = median(rawNights.flatMap((r) => r.slice(1)));
    // Flat across the night: each night's last five against its first five, the worse night shown.
    const flatness = overheads
      .map((o) => ({ first5: median(o.slice(1, 6)), last5: median(o.slice(-5)) }))
      .reduce((worst, n) => (n.last5 / n.first5 > worst.last5 / worst.first5 ? n : worst));
    const { first5, last5 } = flatness;
    const nightMedians = (list: number[][]) => list.map((r) => formatNumber(median(r.slice(1)), 0)).join(' | ');
    rows.push([
      `${files} files`,
      nights.map((night) => formatNumber(night.times[0] ?? Number.NaN, 0)).join(' | '),
      formatNumber(median(nights.flatMap((night) => night.times.slice(1))), 0),
      formatNumber(median(nights.flatMap((night) => night.modelMs.slice(1))), 0),
      formatNumber(value, 0),
      formatNumber(floor, 0),
      `${formatNumber(value / floor, 2)}×`,
      `+${formatNumber(value - floor, 0)}`,
      `${formatNumber(first5, 0)} → ${formatNumber(last5, 0)}`,
      nightMedians(overheads),
      nightMedians(rawNights),
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
      note: `${formatNumber(first5, 0)} → ${formatNumber(last5, 0)} ms on ${fsType}${args.nights > 1 ? ', the less flat night' : ''}`,
    });
  }
} finally {
  await rm(root, { recursive: true, force: true });
}
const header = [
  'repository',
  'engine 1st (per night)',
  'engine median',
  'its model calls',
  'engine less model calls',
  'raw git',
  'ratio',
  'above',
  'first-5 → last-5 (less model calls)',
  'engine nights (less model calls)',
  'raw nights, in order',
];
process.stdout.write(
  `\n${formatTable(header, rows)}\n(ms per attempt; medians over all nights, each night's first attempt left out and shown separately; raw and engine nights alternate, a raw night first and last; ratio and above: engine less model calls vs raw git)\n`,
);
publishBenchResult({
  bench: 'attempt-overhead',
  title: 'Per-attempt engine overhead vs raw git',
  setup: `${args.nights} night(s) of ${args.attempts} attempts per repository (${args.sizes.join(' and ')} files), alternating with ${args.nights + 1} raw-git nights, instant scripted model on the loopback server, check \`true\` with the sandbox off, on ${fsType}, ${os.cpus().length} cores`,
  metrics,
  tables: [{ title: 'Per attempt (ms)', header, rows }],
});
