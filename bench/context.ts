// npm run bench:context — how many of a task's relevant files (the code to change, its tests, the file
// the task names and that file's tests) reach the edit prompt at 4k, 8k and 16k contexts, BEFORE (the
// context builder as it was: named files, their tests, files whose path shares a word with the task, a
// plain file list) and AFTER (the tree-sitter repo map in its share of the budget, plus the explore call,
// answered here by the same scripted model the tests use: it picks from the map what matches the task).
// Three generated repositories shaped like real projects (bench/context/generate-repos.ts).
// Flags: --quick (one repository, 4 tasks).
import { buildContext } from '../src-main/engine/agents/context-builder';
import { explore } from '../src-main/engine/agents/explore';
import { OutlineCache } from '../src-main/engine/agents/repo-map/outline-cache';
import type { ModelCall } from '../src-main/engine/agents/model-caller';
import { createTempRepo } from '../src-main/engine/git/testing/temp-repo';
import { exploreFromMap } from '../src-main/engine/llm/testing/explore-from-map';
import { silentLogger } from '../src-main/engine/log/logger';
import { defaultConfig } from '../src-shared/config/schema';
import { publishBenchResult } from './bench-result';
import type { BenchMetric } from './bench-result';
import { formatTable } from './bench-stats';
import type { BenchTask, GeneratedRepo } from './context/generate-repos';
import { jsMonorepo, pythonPackage, typescriptService } from './context/generate-repos';

const contexts = [4096, 8192, 16384] as const;
const quick = process.argv.includes('--quick');

/** The edit prompt's context budget as improve-stage sizes it, with max_tokens a quarter of the context. */
function budgetFor(contextSize: number): number {
  return Math.floor((contextSize - contextSize / 4) * 0.6);
}

// The scripted explorer: answers nocturnal_explore from the prompt it is shown, as the tests' models do.
const scriptedModel = {
  call: <T>(call: ModelCall<T>) =>
    Promise.resolve({
      value: exploreFromMap(call.messages.map((m) => m.content).join('\n')) as T,
      promptTokens: 0,
      completionTokens: 0,
    }),
};

interface Cell {
  relevant: number;
  before: number;
  after: number;
  afterMs: number;
}

async function measure(generated: GeneratedRepo, tasks: BenchTask[]): Promise<Map<number, Cell>> {
  const repo = await createTempRepo({ files: generated.files });
  const cells = new Map<number, Cell>(contexts.map((c) => [c, { relevant: 0, before: 0, after: 0, afterMs: 0 }]));
  try {
    // One cache per repository, as one per attempt: the first task pays for parsing.
    const cache = new OutlineCache();
    const safety = defaultConfig().safety;
    for (const task of tasks) {
      const taskText = `${task.title} ${task.description}`;
      for (const contextSize of contexts) {
        const cell = cells.get(contextSize);
        if (!cell) continue;
        const budgetTokens = budgetFor(contextSize);
        const base = { git: {}, worktree: repo.path, taskFiles: task.namedFiles, taskText, budgetTokens };
        const before = await buildContext(base);
        const started = performance.now();
        const first = await buildContext({ ...base, repoMap: { cache } });
        const explored = first.analysis
          ? await explore({
              model: scriptedModel,
              log: silentLogger(),
              task: {
                title: task.title,
                description: task.description,
                criteria: [],
                files: task.namedFiles,
                retryNote: null,
              },
              analysis: first.analysis,
              mapBudgetTokens: budgetTokens,
              worktree: repo.path,
              safety,
              context: { sessionId: null, taskId: null, attemptId: null },
            })
          : null;
        const after = await buildContext({ ...base, repoMap: { cache }, ...(explored ? { explored } : {}) });
        cell.afterMs += performance.now() - started;
        cell.relevant += task.relevant.length;
        cell.before += task.relevant.filter((f) => before.includedFiles.includes(f)).length;
        cell.after += task.relevant.filter((f) => after.includedFiles.includes(f)).length;
      }
    }
  } finally {
    await repo.cleanup();
  }
  return cells;
}

async function main(): Promise<void> {
  const repos = quick ? [typescriptService()] : [typescriptService(), pythonPackage(), jsMonorepo()];
  const rows: string[][] = [];
  const totals = new Map<number, { relevant: number; before: number; after: number }>(
    contexts.map((c) => [c, { relevant: 0, before: 0, after: 0 }]),
  );
  for (const generated of repos) {
    const tasks = quick ? generated.tasks.slice(0, 4) : generated.tasks;
    const cells = await measure(generated, tasks);
    for (const contextSize of contexts) {
      const cell = cells.get(contextSize);
      const total = totals.get(contextSize);
      if (!cell || !total) continue;
      total.relevant += cell.relevant;
      total.before += cell.before;
      total.after += cell.after;
      rows.push([
        `${generated.name} (${Object.keys(generated.files).length} files, ${tasks.length} tasks)`,
        `${contextSize / 1024}k`,
        String(cell.relevant),
        `${cell.before} (${percent(cell.before, cell.relevant)})`,
        `${cell.after} (${percent(cell.after, cell.relevant)})`,
        `${(cell.afterMs / tasks.length).toFixed(0)} ms`,
      ]);
    }
  }
  const header = [
    'repository',
    'context',
    'relevant files',
    'in prompt before',
    'in prompt after',
    'after: map + explore per task',
  ];
  process.stdout.write(`${formatTable(header, rows)}\n`);
  const metrics: BenchMetric[] = contexts.map((contextSize) => {
    const total = totals.get(contextSize) ?? { relevant: 0, before: 0, after: 0 };
    const value = (100 * total.after) / Math.max(1, total.relevant);
    const floor = (100 * total.before) / Math.max(1, total.relevant);
    return {
      name: `relevant files in the prompt at ${contextSize / 1024}k (after vs before)`,
      value,
      unit: '%',
      floor,
      ratio: floor === 0 ? Number.POSITIVE_INFINITY : value / floor,
      goal: '≥ 1× before',
      met: value >= floor,
    };
  });
  publishBenchResult({
    bench: 'context',
    title: 'Context benchmark: relevant files in the edit prompt, before and after the repo map + explore call',
    setup: `${repos.length} generated repositories, ${repos.reduce((n, r) => n + (quick ? Math.min(4, r.tasks.length) : r.tasks.length), 0)} tasks; budget = (context − context/4 max_tokens) × 0.6; a file counts when its whole content is in the prompt`,
    metrics,
    tables: [{ title: 'Relevant files in the prompt', header, rows }],
  });
}

function percent(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Math.round((100 * part) / whole)}%`;
}

await main();
