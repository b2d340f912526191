// One shape for every benchmark's findings, so `npm run bench` can collect them into docs/performance.md.
// A benchmark prints its own tables as it runs and, at the end, calls publishBenchResult(); when
// BENCH_RESULTS_DIR is set (the collector sets it) the result is also written there as <bench>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatTable } from './bench-stats.js';

/** One measured figure, with the floor it is compared against and the goal it must meet. */
export interface BenchMetric {
  /** What was measured, e.g. "per-attempt overhead, 10k files". */
  readonly name: string;
  readonly value: number;
  /** Unit of value and floor: "ms", "MiB", "tok/s", "%", "files", … */
  readonly unit: string;
  /** The same quantity measured for the baseline side by side (raw git, bare Node, node-llama-cpp …). */
  readonly floor?: number;
  /** value / floor (or whatever ratio the goal is stated in). */
  readonly ratio?: number;
  /** The goal in words, e.g. "≤ 1.2× floor". */
  readonly goal?: string;
  /** Whether the goal was met on this run; absent when the metric has no goal. */
  readonly met?: boolean;
  readonly note?: string;
}

export interface BenchTable {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface BenchResult {
  /** File-name-safe id: "attempt-overhead", "cli", "context", … */
  readonly bench: string;
  readonly title: string;
  /** How it was run (rounds, sizes, model shape), in one line. */
  readonly setup: string;
  readonly metrics: readonly BenchMetric[];
  /** Extra tables worth keeping in docs/performance.md (before/after grids and the like). */
  readonly tables?: readonly BenchTable[];
}

export function formatBenchMetrics(metrics: readonly BenchMetric[]): string {
  const cell = (value: number | undefined, decimals = 2): string =>
    value === undefined || !Number.isFinite(value) ? '' : value.toFixed(decimals);
  return formatTable(
    ['metric', 'value', 'floor', 'ratio', 'goal', 'met'],
    metrics.map((m) => [
      m.name,
      `${cell(m.value)} ${m.unit}`,
      m.floor === undefined ? '' : `${cell(m.floor)} ${m.unit}`,
      m.ratio === undefined ? '' : `${cell(m.ratio)}×`,
      m.goal ?? '',
      m.met === undefined ? '' : m.met ? 'yes' : 'NO',
    ]),
  );
}

/** Prints the result's metrics and writes it for the collector when BENCH_RESULTS_DIR is set. */
export function publishBenchResult(result: BenchResult): void {
  process.stdout.write(`\n${result.title}\n${result.setup}\n\n${formatBenchMetrics(result.metrics)}\n`);
  const dir = process.env.BENCH_RESULTS_DIR;
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${result.bench}.json`), `${JSON.stringify(result, null, 2)}\n`);
}
