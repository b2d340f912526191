// The chaos night (issue 8): real nights in a child process — the real `nocturnal run --now` on a
// temporary home, a real repository, sandboxed checks and the loopback model server — killed with
// SIGKILL at random points of the model call, the checks and the merge, restarted each time. What must
// hold afterwards: no task lost or stuck `running`, no change merged twice, no worktree left behind,
// and the user's checkout byte-identical after every kill. Used by `bench/chaos-night.ts` (many
// kills) and by `chaos-night.test.ts` (a few, in CI).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Task } from '../../../src-shared/domain/records';
import { snapshotCheckout } from '../../engine/git/testing/checkout-snapshot';
import type { CheckoutSnapshot } from '../../engine/git/testing/checkout-snapshot';
import { createTempDir, createTempRepo } from '../../engine/git/testing/temp-repo';
import { listWorktrees } from '../../engine/git/list-worktrees';
import { runGit } from '../../engine/git/run-git';
import { exploreReply } from '../../engine/llm/testing/explore-from-map';
import { startLoopbackOpenAiServer } from '../../engine/llm/testing/loopback-openai-server';
import type { ScriptedReply } from '../../engine/llm/testing/loopback-openai-server';
import { runCliCaptured } from './run-cli-in-process';

export interface ChaosOptions {
  kills: number;
  /** Tasks queued at the start; more are queued whenever the queue runs dry before the kills are done. */
  tasks?: number;
  seed?: number;
  log?: (line: string) => void;
}

export type KillStage = 'startup' | 'generate' | 'check' | 'review' | 'land' | 'ref-moved';

export interface ChaosResult {
  /** Repeats this run's random choices: `--seed`. */
  seed: number;
  kills: number;
  killsByStage: Record<KillStage, number>;
  restarts: number;
  tasks: number;
  merged: number;
  /** Tasks neither finished nor queued after the final, uninterrupted run (stuck `running` or gone). */
  lostTasks: number;
  /** Tasks with two merged attempts, or whose change is on the target more than once. */
  duplicateMerges: number;
  /** Directories under <home>/worktrees plus engine worktrees git still lists, after the final run. */
  orphanWorktrees: number;
  /** Kills after which the user's checkout differed from before the first night. */
  checkoutChanges: number;
  /** Attempts that recovery found already merged (killed between the ref move and the store write). */
  recoveredMerges: number;
  statuses: Record<string, number>;
}

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const nocturnalBin = path.join(repoRoot, 'bin', 'nocturnal.js');
const CHILD_TIMEOUT_MS = 120_000;

/** How a kill is aimed: after the progress line of a stage, within a random delay. */
const stages: { stage: KillStage; marker: RegExp | null; maxDelayMs: number; weight: number }[] = [
  { stage: 'startup', marker: null, maxDelayMs: 2500, weight: 1 },
  { stage: 'generate', marker: /^ {4}generate/, maxDelayMs: 250, weight: 3 },
  { stage: 'check', marker: /^ {4}check/, maxDelayMs: 400, weight: 3 },
  { stage: 'review', marker: /^ {4}review/, maxDelayMs: 250, weight: 1 },
  // The merge is a handful of git calls: short delays land before, inside and after the ref move.
  { stage: 'land', marker: /^ {4}land/, maxDelayMs: 300, weight: 3 },
  // The instant the target ref moves (git renames the ref's lock file into place): the kill comes
  // before the child can record the merge, the crash recovery must not turn into a second merge.
  { stage: 'ref-moved', marker: null, maxDelayMs: 3, weight: 3 },
];

export async function runChaosNight(options: ChaosOptions): Promise<ChaosResult> {
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const random = seededRandom(seed);
  const home = await createTempDir('nocturnal-chaos-home-');
  const initialTasks = options.tasks ?? 6;
  const files: Record<string, string> = { 'README.md': '# chaos\n', 'test.js': testScript(60) };
  for (let i = 1; i <= 60; i++) files[`lib/f${i}.js`] = 'module.exports = 0;\n';
  const repo = await createTempRepo({ files });
  // The user's own state, which must survive every kill: uncommitted work, an untracked file, a stash.
  await repo.write({ 'README.md': '# chaos\n\nwork in progress\n' });
  await repo.git('stash', 'push', '--include-untracked', '-m', 'user stash');
  await repo.write({ 'README.md': '# chaos\n\nuncommitted edit\n', 'scratch.txt': 'untracked\n' });

  const server = await startLoopbackOpenAiServer({
    models: ['chaos-model'],
    responder: async (request) => {
      await sleep(20 + random() * 300); // a model takes a while: room for a kill mid-call
      const schema = request.body.response_format?.json_schema?.name ?? '';
      const prompt = (request.body.messages ?? []).map((m) => m.content).join('\n');
      if (schema === 'nocturnal_explore') return exploreReply(prompt);
      return schema === 'nocturnal_edits'
        ? editFromPrompt(prompt)
        : { content: { score: 1, verdict: 'approve', issues: [] } };
    },
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NOCTURNAL_LLM_PROVIDER: 'openai',
    NOCTURNAL_LLM_API_URL: server.url,
    NOCTURNAL_LLM_MODEL: 'chaos-model',
    NOCTURNAL_LLM_MAX_RETRIES: '1',
    NOCTURNAL_LLM_TIMEOUT_S: '20',
    NOCTURNAL_QUALITY_MAX_IMPROVEMENT_CYCLES: '0',
    NOCTURNAL_SCHEDULER_MAX_CHANGES_PER_NIGHT: '100000',
    NOCTURNAL_SAFETY_MAX_CPU_PERCENT: '100',
    NOCTURNAL_SAFETY_MAX_MEMORY_PERCENT: '100',
    NOCTURNAL_SAFETY_MIN_FREE_DISK_GB: '0',
    NOCTURNAL_SAFETY_PAUSE_ON_BATTERY: 'false',
    NOCTURNAL_KNOWLEDGE_ENABLED: 'false',
  };
  const cli = (...argv: string[]) => runCliCaptured(['--home', home.path, ...argv], env);

  try {
    const added = await cli('workspace', 'add', repo.path, '--name', 'chaos', '--test', 'node test.js');
    if (added.code !== 0) throw new Error(`workspace add failed: ${added.stderr}`);
    let queuedSoFar = 0;
    const queueTasks = async (count: number) => {
      for (let i = 0; i < count && queuedSoFar < 60; i++) {
        queuedSoFar++;
        const run = await cli(
          'task',
          'add',
          'chaos',
          `Set the value in lib/f${queuedSoFar}.js`,
          '--file',
          `lib/f${queuedSoFar}.js`,
        );
        if (run.code !== 0) throw new Error(`task add failed: ${run.stderr}`);
      }
    };
    await queueTasks(initialTasks);
    const before = await userView(repo.path);

    const killsByStage: Record<KillStage, number> = {
      startup: 0,
      generate: 0,
      check: 0,
      review: 0,
      land: 0,
      'ref-moved': 0,
    };
    let kills = 0;
    let restarts = 0;
    let checkoutChanges = 0;
    while (kills < options.kills) {
      const aim = pick(random);
      const outcome = await runChild(env, home.path, aim, random, repo.path);
      restarts++;
      if (outcome.killed) {
        kills++;
        killsByStage[aim.stage]++;
        if (!isDeepStrictEqual(await userView(repo.path), before)) checkoutChanges++;
        log(`kill ${kills}/${options.kills} at ${aim.stage} (+${outcome.delayMs} ms)`);
      } else if (outcome.code !== 0) {
        throw new Error(
          `the night exited with ${outcome.code} before it could be killed:\n${outcome.output.slice(-2000)}`,
        );
      }
      // Keep work available, so each kill lands on a real night rather than an empty queue.
      const queued = (await cli('task', 'list', '--json', '--status', 'queued')).json<Task[]>().length;
      if (queued < 2) await queueTasks(initialTasks);
      if (queuedSoFar >= 60 && queued === 0 && kills < options.kills)
        throw new Error('ran out of tasks before reaching the number of kills');
    }

    // One last night, not killed: it recovers what the last kill left and works the queue dry.
    const last = await runChild(env, home.path, null, random, repo.path);
    if (last.code !== 0) throw new Error(`the final night failed (${last.code}):\n${last.output.slice(-2000)}`);
    if (!isDeepStrictEqual(await userView(repo.path), before)) checkoutChanges++;

    const tasks = (await cli('task', 'list', '--json')).json<Task[]>();
    const statuses: Record<string, number> = {};
    for (const task of tasks) statuses[task.status] = (statuses[task.status] ?? 0) + 1;
    const settled = new Set(['merged', 'review', 'rejected', 'failed', 'cancelled', 'queued']);
    const lostTasks = queuedSoFar - tasks.length + tasks.filter((t) => !settled.has(t.status)).length;

    const landedPerTask = await commitsPerTaskOnTarget(repo.path);
    let duplicateMerges = 0;
    let recoveredMerges = 0;
    for (const task of tasks) {
      const mergedAttempts = task.attempts.filter((a) => a.status === 'merged').length;
      if (mergedAttempts > 1 || (landedPerTask.get(task.id) ?? 0) > 1) duplicateMerges++;
      recoveredMerges += task.attempts.filter((a) =>
        a.reasons.some((r) => r.startsWith('recovered after a crash')),
      ).length;
    }

    const worktreeRoot = path.join(home.path, 'worktrees');
    const leftoverDirs = fs.existsSync(worktreeRoot)
      ? fs.readdirSync(worktreeRoot).flatMap((ws) => fs.readdirSync(path.join(worktreeRoot, ws)))
      : [];
    const registered = (await listWorktrees(repo.path)).filter((w) => !w.isMain);
    return {
      seed,
      kills,
      killsByStage,
      restarts,
      tasks: tasks.length,
      merged: statuses['merged'] ?? 0,
      lostTasks,
      duplicateMerges,
      orphanWorktrees: leftoverDirs.length + registered.length,
      checkoutChanges,
      recoveredMerges,
      statuses,
    };
  } finally {
    await server.close();
    await repo.cleanup();
    await home.cleanup();
  }
}

interface ChildOutcome {
  killed: boolean;
  code: number | null;
  delayMs: number;
  output: string;
}

/** One `nocturnal run --now` in its own process group; with an aim, the whole group is SIGKILLed. */
function runChild(
  env: NodeJS.ProcessEnv,
  home: string,
  aim: (typeof stages)[number] | null,
  random: () => number,
  repoPath: string,
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nocturnalBin, '--home', home, 'run', '--now'], {
      env,
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let pending = '';
    let killed = false;
    let armed = false;
    const delayMs = aim ? Math.round(random() * aim.maxDelayMs) : 0;
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      killed = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const arm = () => {
      if (armed) return;
      armed = true;
      setTimeout(kill, delayMs);
    };
    let watcher: fs.FSWatcher | undefined;
    if (aim?.stage === 'ref-moved') {
      watcher = fs.watch(path.join(repoPath, '.git', 'refs', 'heads'), { recursive: true }, (_event, name) => {
        if (name === path.join('nocturnal', 'integration')) arm();
      });
    } else if (aim && aim.marker === null) {
      arm();
    }
    const guard = setTimeout(() => {
      kill();
      reject(new Error(`a night ran longer than ${CHILD_TIMEOUT_MS} ms:\n${output.slice(-2000)}`));
    }, CHILD_TIMEOUT_MS);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      if (aim?.marker && lines.some((line) => aim.marker?.test(line))) arm();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(guard);
      watcher?.close();
      resolve({ killed, code, delayMs, output });
    });
  });
}

/** The scripted model: sets the value in the file the prompt shows, and only if it shows it. */
function editFromPrompt(prompt: string): ScriptedReply {
  const match = /Set the value in (lib\/f(\d+)\.js)/.exec(prompt);
  const file = match?.[1];
  const shown = file !== undefined && prompt.includes(`## ${file}\n\`\`\`\nmodule.exports = 0;`);
  if (!match || !shown) return { content: { summary: 'nothing I can see to change', edits: [] } };
  const value = Number(match[2]) * 7;
  // With a test that pins the value down: without one, a change on a green base has no evidence it did
  // the task and never merges by itself (quality/score.ts).
  const test = {
    path: `tests/f${match[2]}.test.js`,
    action: 'write',
    content: `const assert = require('node:assert');\nassert.strictEqual(require('../${file}'), ${value});\n`,
  };
  return {
    content: {
      summary: `set ${file}`,
      edits: [
        { path: file, action: 'replace', search: 'module.exports = 0;', replace: `module.exports = ${value};` },
        test,
      ],
    },
  };
}

/** A green test that also checks each value, once set, is the one its task asked for. */
function testScript(count: number): string {
  return [
    "const assert = require('node:assert');",
    `for (let i = 1; i <= ${count}; i++) {`,
    '  const value = require(`./lib/f${i}.js`);',
    '  assert.ok(value === 0 || value === i * 7, `lib/f${i}.js holds ${value}`);',
    '}',
    "console.log('ok');",
    '',
  ].join('\n');
}

/** Non-merge commits on the target per task (each attempt makes one commit with `Task: <id>`). */
async function commitsPerTaskOnTarget(repoPath: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let log: string;
  try {
    log = (await runGit(repoPath, ['log', '--no-merges', '--format=%B%x00', 'refs/heads/nocturnal/integration']))
      .stdout;
  } catch {
    return counts;
  }
  for (const message of log.split('\0')) {
    const id = /^Task: (\S+)$/m.exec(message)?.[1];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

async function userView(repoPath: string): Promise<CheckoutSnapshot> {
  const snapshot = await snapshotCheckout(repoPath);
  snapshot.branches = Object.fromEntries(
    Object.entries(snapshot.branches).filter(([ref]) => !ref.startsWith('refs/heads/nocturnal/')),
  );
  return snapshot;
}

function pick(random: () => number): (typeof stages)[number] {
  const total = stages.reduce((sum, s) => sum + s.weight, 0);
  let roll = random() * total;
  for (const stage of stages) {
    roll -= stage.weight;
    if (roll < 0) return stage;
  }
  return stages[stages.length - 1] as (typeof stages)[number];
}

/** mulberry32: a seed prints with the result, so a failing run can be repeated exactly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
