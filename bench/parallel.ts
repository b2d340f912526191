// Parallel attempts share one loaded model through its context sequences (issue 12): how much decode
// throughput do 2 and 3 sequences give together, against 1, on a 7B-shaped model? Runs through our
// LlamaProvider exactly as parallel attempts use it (one context, a sequence per call, calls at once).
// See docs/performance.md, "Parallel decode and model shapes".
//
//   npm run bench:parallel                       (= npx tsx bench/parallel.ts; 7B shape cut to 2 layers)
//   npx tsx bench/parallel.ts --layers 8 --rounds 3 --threads 2 --gpu auto
//
// The model is generated once into .fixtures/shapes/ (git-ignored; about 0.4 GB at 2 layers).
import { availableParallelism, cpus } from 'node:os';
import { publishBenchResult } from './bench-result';
import { formatNumber, formatTable, median } from './bench-stats';
import { gpuFlag } from './gpu-flag';
import { aggregateTokensPerSecond, measureShapedDecode, shapedDecodeConfig } from './shaped-decode';
import { positiveIntFlag, shapedModel } from './shaped-model';

const concurrency = [1, 2, 3] as const;
/**
 * Sharing one model must cost no throughput: three sequences together decode at least 0.9× what one
 * does alone (on a compute-bound CPU that is all one can ask; a GPU, memory-bound, approaches 3×).
 */
const goal = 0.9;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const layers = positiveIntFlag(argv, '--layers', 2);
  const rounds = positiveIntFlag(argv, '--rounds', 1);
  const threads = positiveIntFlag(argv, '--threads', 1);
  const characters = positiveIntFlag(argv, '--characters', 60);
  const gpu = gpuFlag(argv);
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; Node ${process.version}; gpu: ${String(gpu)}, threads: ${threads}`,
  );
  const model = await shapedModel('7b', layers, 'q4_0');
  console.log(
    `model: ${model.shape.name} cut to ${layers} layers, Q4_0, vocabulary ${model.vocabSize}; ${(model.bytesPerToken / 1e6).toFixed(1)} MB of weights read per decode step`,
  );

  const bySequences = new Map<number, number[]>(concurrency.map((n) => [n, []]));
  for (let round = 1; round <= rounds; round++) {
    console.log(`round ${round}:`);
    const runs = await measureShapedDecode(
      shapedDecodeConfig(model.path, { gpu, threads }),
      3,
      concurrency,
      characters,
      (line) => console.log(line),
    );
    for (const run of runs) bySequences.get(run.sequences)?.push(aggregateTokensPerSecond(run));
  }
  const single = median(bySequences.get(1) ?? []);
  const rows = concurrency.map((n) => {
    const value = median(bySequences.get(n) ?? []);
    return { n, value, ratio: value / single };
  });
  console.log(
    '\n' +
      formatTable(
        ['sequences', 'aggregate tok/s', 'per sequence tok/s', 'vs 1 sequence'],
        rows.map((r) => [
          String(r.n),
          formatNumber(r.value, 2),
          formatNumber(r.value / r.n, 2),
          `${formatNumber(r.ratio, 2)}×`,
        ]),
      ),
  );
  const three = rows[2];
  publishBenchResult({
    bench: 'parallel',
    title: 'Parallel decode: aggregate tokens/s with 1, 2, 3 sequences on one loaded model',
    setup: `${model.shape.name}, ${layers} layers, Q4_0, ${rounds} round(s) of ~${characters}-character replies per sequence; gpu ${String(gpu)}, threads ${threads}, ${availableParallelism()} cores`,
    metrics: rows.map((r) => ({
      name: `aggregate decode, ${r.n} sequence${r.n === 1 ? '' : 's'}`,
      value: r.value,
      unit: 'tok/s',
      floor: single,
      ratio: r.ratio,
      ...(r === three ? { goal: `≥ ${goal}× one sequence`, met: r.ratio >= goal } : {}),
    })),
  });
}

await main();
