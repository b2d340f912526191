// LLM layer benchmark on the generated tiny model (CPU only, one thread). See docs/performance.md.
//
//   npm run bench:llm                 (= npx tsx bench/llm.ts)
//   npx tsx bench/llm.ts --rounds 15  (more rounds, steadier medians; default 7)
//
// (a) decode tokens/s through LlamaProvider.complete() vs node-llama-cpp directly (goal: ratio ≥ 0.97);
// (b) prompt tokens evaluated on an improvement cycle's second turn with and without KV-cache reuse.
import { availableParallelism, cpus } from 'node:os';
import { formatNumber, formatTable, median, quantile } from './bench-stats';
import { decodeMaxTokens, decodeStringLength, decodeStrings, decodeTokensPerSecond, endToEndTokensPerSecond, measureDecode } from './llm-decode';
import { measureKvReuse, promptTokensEvaluated } from './llm-kv-reuse';
import { tinyModelConfig } from './llm-setup';

const decodeGoal = 0.97;

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
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; Node ${process.version}; gpu: false, threads: ${config.threads}`);

  console.log(`\n(a) decode: ${rounds} rounds; reply forced to ${decodeStrings} × ${decodeStringLength} characters by the grammar (maxTokens ${decodeMaxTokens})`);
  const decode = await measureDecode(config, rounds, (line) => console.log(line));
  const oursDecode = median(decode.ours.runs.map(decodeTokensPerSecond));
  const directDecode = median(decode.direct.runs.map(decodeTokensPerSecond));
  const oursTotal = median(decode.ours.runs.map(endToEndTokensPerSecond));
  const directTotal = median(decode.direct.runs.map(endToEndTokensPerSecond));
  // The ratio is taken per round (both sides ran back to back on the same seed, so they generated
  // the same tokens), then the median: this machine's speed drifts more between rounds than the
  // difference being measured, and pairing cancels most of that drift.
  const decodeRatios = pairedRatios(decode.ours.runs.map(decodeTokensPerSecond), decode.direct.runs.map(decodeTokensPerSecond));
  const decodeRatio = median(decodeRatios);
  const totalRatio = median(pairedRatios(decode.ours.runs.map(endToEndTokensPerSecond), decode.direct.runs.map(endToEndTokensPerSecond)));
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
          [`decode tok/s (median of ${rounds}, ~${tokens} tokens)`, formatNumber(oursDecode), formatNumber(directDecode), formatNumber(decodeRatio, 3)],
          [`end-to-end tok/s (median of ${rounds})`, formatNumber(oursTotal), formatNumber(directTotal), formatNumber(totalRatio, 3)],
          ['turn-2 prompt tokens evaluated (reuse vs fresh)', String(evaluatedWith), String(evaluatedWithout), formatNumber(evaluatedWith / evaluatedWithout, 3)],
          ['turn-2 time to first token ms (reuse vs fresh)', formatNumber(ttftWith, 0), formatNumber(ttftWithout, 0), formatNumber(ttftWith / ttftWithout, 3)],
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
}

await main();
