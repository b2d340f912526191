// LLM layer benchmark on the generated tiny model (CPU only, one thread). See docs/performance.md.
//
//   npm run bench:llm                 (= npx tsx bench/llm.ts)
//   npx tsx bench/llm.ts --rounds 15  (more rounds, steadier medians; default 7)
//   npx tsx bench/llm.ts --layers 8 --threads 2 --gpu auto   (the 13B shape of (c): layers, threads, backend)
//   npx tsx bench/llm.ts --share-rounds 9 --share-tokens 96    ((c): paired probe/decode rounds, tokens each)
//
// (a) decode tokens/s through LlamaProvider.complete() vs node-llama-cpp directly (goal: ratio ≥ 0.97);
// (b) prompt tokens evaluated on an improvement cycle's second turn with and without KV-cache reuse;
// (c) decode on a few-layer 13B-shaped Q4_0 model as a share of the measured memory-bandwidth bound.
import { availableParallelism, cpus } from 'node:os';
import { publishBenchResult } from './bench-result';
import { formatNumber, formatTable, median, quantile } from './bench-stats';
import { measureBandwidthShare } from './llm-bandwidth-share';
import { gpuFlag } from './gpu-flag';
import { positiveIntFlag } from './shaped-model';
import {
  decodeMaxTokens,
  decodeStringLength,
  decodeStrings,
  decodeTokensPerSecond,
  endToEndTokensPerSecond,
  measureDecode,
} from './llm-decode';
import { measureKvReuse, promptTokensEvaluated } from './llm-kv-reuse';
import { tinyModelConfig } from './llm-setup';

const decodeGoal = 0.97;
/** Issue 12 measured ~81 % before the parallel work; the goal is to keep it. */
const bandwidthShareGoal = 0.8;

function roundsArgument(argv: readonly string[]): number {
  const index = argv.indexOf('--rounds');
  if (index < 0) return 25;
  const value = Number(argv[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error('--rounds takes a positive integer');
  return value;
}

function pairedRatios(ours: readonly number[], baseline: readonly number[]): number[] {
  return ours.map((value, i) => value / (baseline[i] ?? Number.NaN));
}

async function main(): Promise<void> {
  const rounds = roundsArgument(process.argv.slice(2));
  const config = await tinyModelConfig();
  console.log(
    `machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; Node ${process.version}; gpu: false, threads: ${config.threads}`,
  );

  console.log(
    `\n(a) decode: ${rounds} rounds; reply forced to ${decodeStrings} × ${decodeStringLength} characters by the grammar (maxTokens ${decodeMaxTokens})`,
  );
  const decode = await measureDecode(config, rounds, (line) => console.log(line));
  const oursDecode = median(decode.ours.runs.map(decodeTokensPerSecond));
  const directDecode = median(decode.direct.runs.map(decodeTokensPerSecond));
  const oursTotal = median(decode.ours.runs.map(endToEndTokensPerSecond));
  const directTotal = median(decode.direct.runs.map(endToEndTokensPerSecond));
  // The ratio is taken per round (both sides ran back to back on the same seed, so they generated
  // the same tokens), then the median: this machine's speed drifts more between rounds than the
  // difference being measured, and pairing cancels most of that drift.
  const decodeRatios = pairedRatios(
    decode.ours.runs.map(decodeTokensPerSecond),
    decode.direct.runs.map(decodeTokensPerSecond),
  );
  const decodeRatio = median(decodeRatios);
  const totalRatio = median(
    pairedRatios(decode.ours.runs.map(endToEndTokensPerSecond), decode.direct.runs.map(endToEndTokensPerSecond)),
  );
  const tokens = median(decode.ours.runs.map((r) => r.tokens));

  console.log('\n(b) KV-cache reuse on the second turn of an improvement cycle (edits-v1, nocturnal_edits)');
  const kv = await measureKvReuse(config);
  const evaluatedWith = promptTokensEvaluated(kv.withReuse);
  const evaluatedWithout = promptTokensEvaluated(kv.withoutReuse);
  console.log(
    `  seed ${kv.seed}: round 1 prompt ${kv.round1.promptTokens} tokens; round 2 prompt ${kv.withReuse.promptTokens} tokens, ` +
      `cached ${kv.withReuse.cachedTokens} with reuse, ${kv.withoutReuse.cachedTokens} without`,
  );

  const ttftWith = kv.withReuse.timeToFirstTokenMs ?? Number.NaN;
  const ttftWithout = kv.withoutReuse.timeToFirstTokenMs ?? Number.NaN;
  console.log(
    '\n' +
      formatTable(
        ['measure', 'ours', 'baseline', 'ratio'],
        [
          [
            `decode tok/s (median of ${rounds}, ~${tokens} tokens)`,
            formatNumber(oursDecode),
            formatNumber(directDecode),
            formatNumber(decodeRatio, 3),
          ],
          [
            `end-to-end tok/s (median of ${rounds})`,
            formatNumber(oursTotal),
            formatNumber(directTotal),
            formatNumber(totalRatio, 3),
          ],
          [
            'turn-2 prompt tokens evaluated (reuse vs fresh)',
            String(evaluatedWith),
            String(evaluatedWithout),
            formatNumber(evaluatedWith / evaluatedWithout, 3),
          ],
          [
            'turn-2 time to first token ms (reuse vs fresh)',
            formatNumber(ttftWith, 0),
            formatNumber(ttftWithout, 0),
            formatNumber(ttftWith / ttftWithout, 3),
          ],
        ],
      ),
  );
  console.log('\nbaseline: (a) node-llama-cpp called directly; (b) the same turn under a fresh conversation id.');
  console.log('(a) ratios are medians of per-round ours/baseline ratios; tok/s columns are medians of the rounds.');
  console.log(
    `(a) per-round decode ratios spread ${formatNumber(quantile(decodeRatios, 0.25), 3)}–${formatNumber(quantile(decodeRatios, 0.75), 3)} ` +
      `(25th–75th percentile): the machine's noise, which more --rounds narrows.`,
  );
  const verdict = decodeRatio >= decodeGoal ? 'meets' : 'MISSES';
  console.log(`decode ratio ${formatNumber(decodeRatio, 3)} ${verdict} the goal of ≥ ${decodeGoal}.`);

  const argv = process.argv.slice(2);
  const layers = positiveIntFlag(argv, '--layers', 2);
  const threads = positiveIntFlag(argv, '--threads', 1);
  const gpu = gpuFlag(argv);
  console.log(
    `\n(c) decode on a CodeLlama-13B-shaped Q4_0 model cut to ${layers} layers (real vocabulary), gpu: ${String(gpu)}, threads: ${threads}`,
  );
  const shareRounds = positiveIntFlag(argv, '--share-rounds', 5);
  const shareTokens = positiveIntFlag(argv, '--share-tokens', 64);
  const share = await measureBandwidthShare({
    layers,
    threads,
    gpu,
    rounds: shareRounds,
    tokens: shareTokens,
    log: (line) => console.log(line),
  });
  const shares = share.rounds.map((r) => r.share);
  console.log(
    `decode ${formatNumber(share.decodeTokensPerSecond, 2)} tok/s against the bound ${formatNumber(share.boundTokensPerSecond, 2)} tok/s: ` +
      `share ${formatNumber(share.share * 100, 1)} % (median of ${shareRounds} paired rounds; ${formatNumber(Math.min(...shares) * 100, 1)}–${formatNumber(Math.max(...shares) * 100, 1)} %).`,
  );

  publishBenchResult({
    bench: 'llm',
    title: 'LLM layer: decode through the provider, KV reuse, and the memory-bandwidth bound',
    setup: `tiny model, ${rounds} rounds, threads ${config.threads}; 13B shape: ${layers} layers Q4_0, threads ${threads}, gpu ${String(gpu)}, ${shareRounds} × ${shareTokens} tokens; ${availableParallelism()} cores`,
    metrics: [
      {
        name: 'decode tok/s, provider vs node-llama-cpp',
        value: oursDecode,
        unit: 'tok/s',
        floor: directDecode,
        ratio: decodeRatio,
        goal: `≥ ${decodeGoal}×`,
        met: decodeRatio >= decodeGoal,
      },
      {
        name: 'turn-2 prompt tokens evaluated, reuse vs fresh',
        value: evaluatedWith,
        unit: 'tokens',
        floor: evaluatedWithout,
        ratio: evaluatedWith / evaluatedWithout,
      },
      {
        name: `decode on a 13B shape (${layers} layers) vs the bandwidth bound`,
        value: share.decodeTokensPerSecond,
        unit: 'tok/s',
        floor: share.boundTokensPerSecond,
        ratio: share.share,
        goal: `≥ ${bandwidthShareGoal}× (keep ~81 %)`,
        met: share.share >= bandwidthShareGoal,
        note: `${formatNumber(share.bandwidthGBs, 2)} GB/s read bandwidth (${threads} thread(s)), ${formatNumber(share.bytesPerToken / 1e6, 1)} MB per token; 25th-percentile token and scan times; median of ${shareRounds} paired rounds; ${share.backend}`,
      },
    ],
  });
}

await main();
