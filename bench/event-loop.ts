// Event-loop stall benchmark (DESIGN §8b "Hosts"): the desktop app's main process hosts the engine,
// so nothing in a session may block its event loop for long (goal: longest stall < 50 ms). Runs a
// real session through the engine host — real git worktrees, sandboxed checks, SQLite, the loopback
// OpenAI-compatible server whose scripted model edits what the prompt shows — and measures the loop
// with perf_hooks.monitorEventLoopDelay, plus a 5 ms probe that names the session stage each stall
// happened in, so a hot spot can be found and moved off the loop. A second session in the same process
// is measured too: the first loads and compiles what only a session needs. See docs/performance.md.
//
//   npm run bench:event-loop                 (= npx tsx bench/event-loop.ts)
//   npx tsx bench/event-loop.ts --tasks 8    (more tasks; default 4)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { availableParallelism, cpus } from 'node:os';
import { createNightFixture, editsReply, reviewReply } from '../src-main/cli/testing/night-fixture';
import { startEngineHost } from '../src-main/host/engine-host';
import type { BenchTable } from './bench-result';
import { publishBenchResult } from './bench-result';
import { formatNumber, formatTable } from './bench-stats';

const goalMs = 50;
const probeMs = 5;

function tasksArgument(argv: readonly string[]): number {
  const index = argv.indexOf('--tasks');
  if (index < 0) return 4;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--tasks takes a positive integer');
  return value;
}

interface Stall {
  ms: number;
  /** CPU time this process used meanwhile: far below `ms` means the machine was busy, not our code. */
  cpuMs: number;
  stage: string;
}

/** The same histogram over an idle loop in this process, side by side: what the machine alone costs. */
async function idleLoopMaxMs(durationMs: number): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const tick = setInterval(() => undefined, probeMs);
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  clearInterval(tick);
  histogram.disable();
  return histogram.max / 1e6;
}

async function main(): Promise<void> {
  const tasks = tasksArgument(process.argv.slice(2));
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; Node ${process.version}; ${tasks} task(s)`,
  );
  const fixture = await createNightFixture({
    // The model fixes what the prompt shows and approves only a diff that contains the fix.
    respond: (schema, prompt) => {
      if (schema === 'nocturnal_edits') {
        const file = /math(\d+)\.js/.exec(prompt)?.[0] ?? 'math.js';
        return prompt.includes('return a - b;')
          ? editsReply(
              [{ path: file, action: 'replace', search: '  return a - b;', replace: '  return a + b;' }],
              `fix ${file}`,
            )
          : editsReply([], 'nothing to fix');
      }
      return prompt.includes('+  return a + b;')
        ? reviewReply(0.95)
        : reviewReply(0.1, 'reject', ['no fix in the diff']);
    },
  });
  const host = await startEngineHost({ home: fixture.home, env: fixture.env, kind: 'server', schedule: false });
  try {
    const added = await fixture.cli('workspace', 'add', fixture.repo.path, '--name', 'calc', '--test', 'node test.js');
    if (added.code !== 0) throw new Error(`workspace add failed: ${added.stderr}`);
    const queueTasks = async (title: string) => {
      for (let i = 1; i <= tasks; i++) {
        const task = await fixture.cli('task', 'add', 'calc', `${title} (${i})`, '--file', 'math.js');
        if (task.code !== 0) throw new Error(`task add failed: ${task.stderr}`);
      }
    };
    /** A session through the host, with the event loop's delay histogram around it. */
    const measuredSession = async () => {
      const histogram = monitorEventLoopDelay({ resolution: 5 });
      histogram.enable();
      const started = performance.now();
      const session = await host.runNow();
      const elapsed = performance.now() - started;
      histogram.disable();
      return { session, histogram, elapsed };
    };
    await queueTasks('Fix add()');

    let stage = 'session start';
    host.on((event) => {
      if (event.type !== 'progress') return;
      const p = event.progress;
      stage = p.type === 'attempt' ? `attempt: ${p.progress.stage}` : p.type;
    });
    const stalls: Stall[] = [];
    let last = performance.now();
    let lastCpu = process.cpuUsage();
    const probe = setInterval(() => {
      const now = performance.now();
      const cpu = process.cpuUsage();
      const late = now - last - probeMs;
      if (late > 10)
        stalls.push({ ms: late, cpuMs: (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000, stage });
      last = now;
      lastCpu = cpu;
    }, probeMs);
    const idleMax = await idleLoopMaxMs(3000);
    const { session, histogram, elapsed } = await measuredSession();
    clearInterval(probe);
    // The app hosts the engine for days and runs a session every night: the first session of a process
    // also loads what only a session needs (the tree-sitter runtime and grammars, the HTTP client, the
    // system probe) and compiles it. A second session in the same process shows the nights after it.
    await queueTasks('Fix add() again');
    const { session: laterSession, histogram: later, elapsed: laterElapsed } = await measuredSession();

    const s = session.stats;
    console.log(
      `session ${session.id}: ${s.tasksDone} task(s) in ${formatNumber(elapsed / 1000, 1)} s — ${s.merged} merged, ${s.review} review, ${s.rejected} rejected, ${s.failed} failed`,
    );
    const ms = (ns: number) => ns / 1e6;
    console.log(
      formatTable(
        ['event-loop delay', 'ms'],
        [
          ['mean', formatNumber(ms(histogram.mean), 1)],
          ['p99', formatNumber(ms(histogram.percentile(99)), 1)],
          ['max (longest stall)', formatNumber(ms(histogram.max), 1)],
        ],
      ),
    );
    const byStage = new Map<string, Stall>();
    for (const stall of stalls) if ((byStage.get(stall.stage)?.ms ?? 0) < stall.ms) byStage.set(stall.stage, stall);
    const stageRows = [...byStage.values()]
      .sort((a, b) => b.ms - a.ms)
      .map((x) => [x.stage, formatNumber(x.ms, 1), formatNumber(x.cpuMs, 1)]);
    const stageHeader = ['stage', 'ms', 'cpu ms'];
    if (byStage.size > 0) {
      console.log(
        '\nlongest stall over 10 ms per session stage (cpu: what this process computed meanwhile, all threads):',
      );
      console.log(formatTable(stageHeader, stageRows));
    }
    const longest = ms(histogram.max);
    const laterLongest = ms(later.max);
    console.log(
      `\nlongest stall ${formatNumber(longest, 1)} ms against the ${goalMs} ms goal: ${longest < goalMs ? 'met' : 'NOT met'}`,
    );
    console.log(
      `a later session in the same process (${laterSession.stats.tasksDone} task(s), ${formatNumber(laterElapsed / 1000, 1)} s): longest stall ${formatNumber(laterLongest, 1)} ms, p99 ${formatNumber(ms(later.percentile(99)), 1)} ms`,
    );
    if (s.tasksDone !== tasks) throw new Error(`expected ${tasks} task(s) done, got ${s.tasksDone}`);
    if (laterSession.stats.tasksDone !== tasks)
      throw new Error(`expected ${tasks} task(s) done in the later session, got ${laterSession.stats.tasksDone}`);
    const tables: BenchTable[] =
      stageRows.length > 0
        ? [
            {
              title: 'Longest stall over 10 ms per session stage (cpu: this process meanwhile)',
              header: stageHeader,
              rows: stageRows,
            },
          ]
        : [];
    publishBenchResult({
      bench: 'event-loop',
      title: 'Event loop of the engine host during a real session',
      setup: `${tasks} task(s) through the engine host (real git worktrees, sandboxed \`node test.js\` checks, SQLite, loopback model); floor = the same histogram over 3 s of an idle loop in the same process; ${availableParallelism()} cores`,
      metrics: [
        {
          name: 'longest event-loop stall during the session',
          value: longest,
          unit: 'ms',
          floor: idleMax,
          ratio: longest / idleMax,
          goal: `< ${goalMs} ms`,
          met: longest < goalMs,
          note: `p99 ${formatNumber(ms(histogram.percentile(99)), 1)} ms, mean ${formatNumber(ms(histogram.mean), 1)} ms; ${formatNumber(elapsed / 1000, 1)} s session, the first of the process`,
        },
        {
          name: 'longest event-loop stall, a later session in the same process',
          value: laterLongest,
          unit: 'ms',
          floor: idleMax,
          ratio: laterLongest / idleMax,
          goal: `< ${goalMs} ms`,
          met: laterLongest < goalMs,
          note: `p99 ${formatNumber(ms(later.percentile(99)), 1)} ms, mean ${formatNumber(ms(later.mean), 1)} ms; ${formatNumber(laterElapsed / 1000, 1)} s session (what the app's nights after its first look like)`,
        },
      ],
      tables,
    });
  } finally {
    await host.close();
    await fixture.cleanup();
  }
}

await main();
