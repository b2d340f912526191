// Scale benchmark (issue 12, "Scale"): `report`, `status` and `task list` must grow linearly with the
// history — 10k attempts ≈ 10× the time of 1k, not 100× — and answer within 0.3 s at 5,000 attempts.
// A real engine home per size: the SQLite file is filled through the store's own repositories (one
// session holding every attempt, three usage rows and two timeline events per attempt, a queue of
// tasks), then the engine's own calls are timed in process, side by side with the floor: the same SQL
// statements run by a bare better-sqlite3 connection on the same file, rows read and nothing else.
//
//   npm run bench:scale                  (= npx tsx bench/scale.ts; 1k, 5k, 10k attempts)
//   npx tsx bench/scale.ts --quick       (500, 2.5k, 5k attempts, fewer rounds)
//   npx tsx bench/scale.ts --rounds 9
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { loadConfig } from '../src-main/engine/config/config-file';
import { homePaths } from '../src-main/engine/config/home';
import { createEngine } from '../src-main/engine/engine';
import type { Engine } from '../src-main/engine/engine';
import { queueRankSql } from '../src-main/engine/store/migrations/007-scale-indexes';
import { publishBenchResult } from './bench-result';
import type { BenchMetric } from './bench-result';
import { formatNumber, formatTable, median } from './bench-stats';

const goalMs = 300;
/** 10× the rows should cost about 10× the time; 13× leaves room for noise, far from the quadratic 100×. */
const growthGoal = 13;

interface Options {
  sizes: readonly [number, number, number];
  rounds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const index = argv.indexOf('--rounds');
  let rounds = quick ? 3 : 5;
  if (index >= 0) {
    rounds = Number(argv[index + 1]);
    if (!Number.isInteger(rounds) || rounds < 1)
      throw new Error(`--rounds takes a positive integer, got "${argv[index + 1] ?? ''}"`);
  }
  return { sizes: quick ? [500, 2500, 5000] : [1000, 5000, 10000], rounds };
}

const operations = ['report', 'status', 'task list'] as const;
type Operation = (typeof operations)[number];

interface Measured {
  attempts: number;
  fillMs: number;
  engine: Record<Operation, Timing>;
  floor: Record<Operation, Timing>;
}

/** Fills a home with `attempts` attempts (two per task) through the engine's store repositories. */
function fill(engine: Engine, attempts: number): string {
  const store = engine.store;
  const t0 = Date.parse('2026-11-01T22:00:00Z');
  const at = (i: number) => new Date(t0 + i * 1000);
  const ws = store.workspaces.add(
    {
      name: 'app',
      path: '/repos/app',
      baseBranch: 'main',
      targetBranch: 'nocturnal/integration',
      checks: { test: 'npm test' },
    },
    at(0),
  );
  // A few past nights before the one the report reads, as a real home has.
  for (let n = 0; n < 5; n++)
    store.sessions.end(
      store.sessions.start({ trigger: 'night', settings: {} }, at(n)).id,
      'completed',
      'the queue is empty',
      at(n + 1),
    );
  const session = store.sessions.start({ trigger: 'night', settings: { sandbox: 'on' } }, at(10));
  const priorities = ['low', 'medium', 'high', 'critical'] as const;
  const outcomes = ['merged', 'review', 'rejected', 'failed'] as const;
  store.db.transaction(() => {
    for (let i = 0; i < attempts / 2; i++) {
      const task = store.tasks.add(
        {
          workspaceId: ws.id,
          title: `task ${i}: fix the parser's edge case`,
          description: 'a description of what to change',
          criteria: ['tests pass'],
          priority: priorities[i % 4] ?? 'low',
          executor: 'direct',
          files: ['src/a.ts'],
        },
        at(20 + i),
      );
      for (let n = 0; n < 2; n++) {
        const attempt = store.attempts.start(
          { taskId: task.id, sessionId: session.id, branchPrefix: 'nocturnal', targetBranch: 'nocturnal/integration' },
          at(20 + i),
        );
        const status = outcomes[(i + n) % 4] ?? 'failed';
        store.attempts.transition(attempt.id, status === 'merged' ? 'review' : status, at(21 + i), {
          score: 0.8,
          reasons: ['checks passed', 'diff is small'],
          diff: { files: 2, insertions: 10, deletions: 3, paths: ['src/a.ts', 'src/a.test.ts'] },
          checksAfter: [
            {
              name: 'test',
              command: 'npm test',
              passed: true,
              exitCode: 0,
              timedOut: false,
              durationMs: 900,
              output: 'ok',
              tests: { runner: 'vitest', passed: 10, failed: 0, skipped: 0 },
            },
          ],
          cycles: 2,
        });
        for (let c = 0; c < 3; c++) {
          store.usage.record(
            {
              sessionId: session.id,
              taskId: task.id,
              attemptId: attempt.id,
              provider: 'llama',
              model: 'm.gguf',
              promptTokens: 1500,
              completionTokens: 300,
              cachedTokens: 800,
              durationMs: 9000,
              costUsd: 0,
              energyWh: 0.2,
              free: true,
            },
            at(21 + i),
          );
        }
        store.events.append(
          {
            sessionId: session.id,
            taskId: task.id,
            attemptId: null,
            type: 'task-started',
            message: `started "${task.title}"`,
            data: null,
          },
          at(20 + i),
        );
        store.events.append(
          {
            sessionId: session.id,
            taskId: task.id,
            attemptId: null,
            type: `task-${status}`,
            message: `"${task.title}": ${status}`,
            data: { attemptId: attempt.id, score: 0.8 },
          },
          at(21 + i),
        );
      }
      // One task in ten is still waiting in the queue (the next-task pick and `status` count it).
      if (i % 10 !== 0) store.tasks.transition(task.id, 'running', at(22 + i));
    }
  })();
  return session.id;
}

/** The same statements the engine runs, on a bare connection: rows read as value arrays, no mapping, no JSON parsing. */
function floorQueries(db: Database.Database, sessionId: string): Record<Operation, () => void> {
  const prepared = (sql: string) => db.prepare(sql);
  const report = [
    prepared('SELECT * FROM sessions WHERE id = ?'),
    prepared('SELECT * FROM events WHERE session_id = ? ORDER BY id'),
    prepared(
      'SELECT t.id, t.title, t.status, w.name AS workspace FROM tasks t JOIN workspaces w ON w.id = t.workspace_id WHERE t.id IN (SELECT task_id FROM attempts WHERE session_id = ?)',
    ),
    prepared(
      'SELECT attempt_id, SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens) FROM usage WHERE attempt_id IN (SELECT id FROM attempts WHERE session_id = ?) GROUP BY attempt_id',
    ),
    prepared('SELECT * FROM attempts WHERE session_id = ? ORDER BY started_at, id'),
    prepared(
      'SELECT COUNT(*), SUM(free), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cost_usd), SUM(energy_wh) FROM usage WHERE session_id = ?',
    ),
  ];
  const status = [
    prepared('SELECT * FROM sessions ORDER BY started_at DESC, rowid DESC LIMIT 20'),
    prepared('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status'),
    prepared(`SELECT COUNT(*) AS n FROM attempts WHERE status = 'review'`),
    prepared('SELECT * FROM workspaces ORDER BY name'),
    // The night plan's reads (queue heads, the latest finished attempts, the model's latest calls).
    prepared(
      `SELECT t.id, t.title, t.priority, t.executor, t.workspace_id, t.created_at FROM tasks t WHERE t.status = 'queued' ORDER BY (${queueRankSql.replaceAll('priority', 't.priority')}), t.created_at, t.id`,
    ),
    prepared(
      `SELECT t.workspace_id, t.executor, a.cycles, CAST(ROUND((julianday(a.ended_at) - julianday(a.started_at)) * 86400000) AS INTEGER),
         COALESCE((SELECT SUM(u.completion_tokens) FROM usage u WHERE u.attempt_id = a.id), 0), COALESCE((SELECT SUM(u.duration_ms) FROM usage u WHERE u.attempt_id = a.id), 0)
       FROM attempts a JOIN tasks t ON t.id = a.task_id WHERE a.ended_at IS NOT NULL AND a.status NOT IN ('running', 'interrupted') ORDER BY a.started_at DESC LIMIT 200`,
    ),
    prepared(
      `SELECT completion_tokens, duration_ms FROM usage WHERE model = 'codellama-13b-instruct' ORDER BY id DESC LIMIT 50`,
    ),
  ];
  const taskList = [
    prepared(
      'SELECT t.*, w.name AS workspace_name FROM tasks t JOIN workspaces w ON w.id = t.workspace_id ORDER BY t.created_at, t.id',
    ),
    prepared('SELECT * FROM attempts WHERE task_id IN (SELECT t.id FROM tasks t) ORDER BY task_id, number'),
  ];
  return {
    report: () => report.forEach((s) => s.raw(true).all(sessionId)),
    status: () => status.forEach((s) => s.raw(true).all()),
    'task list': () => taskList.forEach((s) => s.raw(true).all()),
  };
}

interface Timing {
  /** Median wall-clock ms: what the user waits for. */
  wall: number;
  /** Median CPU ms of this process: what the growth is judged on, as 8 helpers share 2 cores here. */
  cpu: number;
}

function time(work: () => void, rounds: number): Timing {
  work(); // warm: statements prepared, pages cached — as in a CLI that reads a file the tray app keeps hot
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    work();
    walls.push(performance.now() - start);
    const cpu = process.cpuUsage(cpuStart);
    cpus.push((cpu.user + cpu.system) / 1000);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

function measure(attempts: number, rounds: number): Measured {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'nocturnal-bench-scale-'));
  const engine = createEngine({ home, env: {}, config: loadConfig({ home, env: {} }) });
  try {
    const fillStart = performance.now();
    const sessionId = fill(engine, attempts);
    const fillMs = performance.now() - fillStart;
    const bare = new Database(homePaths(home).database, { readonly: true });
    try {
      const floor = floorQueries(bare, sessionId);
      const engineOps: Record<Operation, () => void> = {
        report: () => void engine.report(sessionId),
        status: () => void engine.status(),
        'task list': () => void engine.tasks.list({}),
      };
      const result = {
        attempts,
        fillMs,
        engine: {} as Record<Operation, Timing>,
        floor: {} as Record<Operation, Timing>,
      };
      for (const op of operations) {
        result.engine[op] = time(engineOps[op], rounds);
        result.floor[op] = time(floor[op], rounds);
      }
      return result;
    } finally {
      bare.close();
    }
  } finally {
    void engine.stop().finally(() => fs.rmSync(home, { recursive: true, force: true }));
  }
}

function main(): void {
  const options = parseOptions(process.argv.slice(2));
  console.log(
    `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.availableParallelism()} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; Node ${process.version}`,
  );
  const results: Measured[] = [];
  for (const size of options.sizes) {
    const measured = measure(size, options.rounds);
    console.log(`${size} attempts: filled in ${formatNumber(measured.fillMs / 1000)} s`);
    results.push(measured);
  }
  const [small, middle, large] = results as [Measured, Measured, Measured];
  const rows = results.flatMap((r) =>
    operations.map((op) => [
      `${op} @ ${r.attempts}`,
      formatNumber(r.engine[op].wall),
      formatNumber(r.engine[op].cpu),
      formatNumber(r.floor[op].wall),
      formatNumber(r.floor[op].cpu),
      `${formatNumber(r.engine[op].cpu / r.floor[op].cpu, 2)}×`,
    ]),
  );
  const timesTable = {
    title: 'Median per call (ms), engine vs the same SQL on a bare better-sqlite3 connection (wall and CPU time)',
    header: ['call @ attempts', 'engine wall', 'engine cpu', 'floor wall', 'floor cpu', 'engine/floor cpu'],
    rows,
  };
  const growth = (m: Measured, op: Operation, side: 'engine' | 'floor') => large[side][op].cpu / m[side][op].cpu;
  const growthRows = operations.map((op) => [
    op,
    `${formatNumber(growth(small, op, 'engine'), 1)}×`,
    `${formatNumber(growth(small, op, 'floor'), 1)}×`,
    `${large.attempts / small.attempts}×`,
  ]);
  const growthTable = {
    title: `Growth of CPU time from ${small.attempts} to ${large.attempts} attempts (linear = ${large.attempts / small.attempts}×)`,
    header: ['call', 'engine', 'floor', 'rows'],
    rows: growthRows,
  };
  console.log(`\n${timesTable.title}\n${formatTable(timesTable.header, timesTable.rows)}`);
  console.log(`\n${growthTable.title}\n${formatTable(growthTable.header, growthTable.rows)}`);

  const sizeRatio = large.attempts / small.attempts;
  const growthLimit = (growthGoal * sizeRatio) / 10;
  const metrics: BenchMetric[] = operations.flatMap((op): BenchMetric[] => [
    {
      name: `${op}, ${middle.attempts} attempts`,
      value: middle.engine[op].wall,
      unit: 'ms',
      floor: middle.floor[op].wall,
      ratio: middle.engine[op].wall / middle.floor[op].wall,
      goal: `≤ ${goalMs} ms`,
      met: middle.engine[op].wall <= goalMs,
      // Wall time is what the user waits for; CPU time shows what is ours when the machine is shared.
      note: `CPU ${formatNumber(middle.engine[op].cpu)} ms (floor ${formatNumber(middle.floor[op].cpu)} ms); load ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
    },
    {
      name: `${op}, CPU growth ${small.attempts}→${large.attempts} attempts`,
      value: growth(small, op, 'engine'),
      unit: '×',
      floor: growth(small, op, 'floor'),
      ratio: growth(small, op, 'engine') / growth(small, op, 'floor'),
      goal: `≤ ${formatNumber(growthLimit, 0)}× (linear: ${sizeRatio}×)`,
      met: growth(small, op, 'engine') <= growthLimit,
    },
  ]);
  publishBenchResult({
    bench: 'scale',
    title: 'Scale: report, status and task list against the history',
    setup: `${options.sizes.join(' / ')} attempts (2 per task, one session, 3 usage rows and 2 events each); median of ${options.rounds} warm rounds; in process, SQLite file on ${os.tmpdir()}`,
    metrics,
    tables: [timesTable, growthTable],
  });
}

main();
