// Decode as a share of the memory-bandwidth bound on a 13B shape (issue 12: "at ~81 % of the
// memory-bandwidth bound on a 13B-shaped Q4_0 model — keep it so"). A decode step reads every layer's
// weights and the output matrix once (and one embedding row), so tokens/s can be at most bandwidth ÷
// bytes per token; the share shows how close decode runs to what the memory allows. A few layers keep
// the file and the run small: bytes per token are counted for the layers the file has.
//
// How it is measured, and why (each point was a source of error in the first version, which read 0.41×
// and 0.92× on the same code):
// - The model's own decode, free text through node-llama-cpp loaded with the engine's loader and
//   settings, no grammar. A JSON grammar forcing a string of exactly N characters costs sampler CPU per
//   token that grows with N (here: 80 characters ~25 % slower per token, 200 characters 8× slower):
//   that is not memory traffic, and the provider's own overhead is what (a) measures.
// - Timed per token, from the first generated token on: no prompt evaluation, no load, and a warm-up
//   generation first pages the mapped weights in.
// - The bandwidth probe scans with the same thread count as decode, between decode rounds, with the
//   model loaded (memory-bandwidth.ts; its zero-filled buffer had made the first scan measure page
//   faults).
// - Both sides by the same statistic over units of about the same length: the 25th percentile of the
//   time per token and of the time per scan (~18 ms each). On 2 shared cores in a VM, a decode round's
//   wall time lost 30–70 % to other processes and the host (token intervals here: 27 ms at the 10th
//   percentile, up to 600 ms at the top; process CPU time did not help, the stalls show in it too),
//   while a best-of-5 probe dodged them: the old share measured the machine's load. The undisturbed
//   quarter of each distribution is what the model and the memory do; the share is the median of the
//   per-round shares.
// On a GPU the probe still measures host memory, which is not what a GPU decode reads: there the share
// is printed but means little.
import { performance } from 'node:perf_hooks';
import { LlamaCompletion } from 'node-llama-cpp';
import { loadLlamaModel } from '../src-main/engine/llm/llama-loader';
import { silentLogger } from '../src-main/engine/log/logger';
import type { LlmConfig } from '../src-shared/config/schema';
import { median, quantile } from './bench-stats';
import { readBandwidthProbe } from './memory-bandwidth';
import { shapedDecodeConfig } from './shaped-decode';
import { shapedModel } from './shaped-model';

export interface BandwidthShareRound {
  /** Bytes per second at the 75th percentile of the round's scans (the 25th of their times). */
  bandwidth: number;
  /** Tokens per second at the 25th percentile of the round's per-token times. */
  tokensPerSecond: number;
  share: number;
}

export interface BandwidthShare {
  layers: number;
  /** Medians of the rounds. */
  bandwidthGBs: number;
  bytesPerToken: number;
  boundTokensPerSecond: number;
  decodeTokensPerSecond: number;
  /** Median of the per-round shares (not the ratio of the medians). */
  share: number;
  rounds: BandwidthShareRound[];
  /**
   * What decoded: the GPU backend, or the CPU features llama.cpp's kernels were built to use on this
   * machine (its system info), REPACK among them when Q4_0 weights are repacked for the wide kernels.
   */
  backend: string;
}

const probeScans = 9;
/** Of the time per unit (token, scan): the undisturbed quarter's edge. */
const timeQuantile = 0.25;

export async function measureBandwidthShare(options: {
  layers: number;
  threads: number;
  gpu: LlmConfig['gpu'];
  rounds: number;
  tokens: number;
  log: (line: string) => void;
}): Promise<BandwidthShare> {
  const model = await shapedModel('13b', options.layers, 'q4_0');
  const config = shapedDecodeConfig(model.path, { gpu: options.gpu, threads: options.threads });
  const loaded = await loadLlamaModel({
    config,
    modelPath: model.path,
    sequences: 1,
    log: silentLogger(),
    signal: new AbortController().signal,
  });
  const probe = readBandwidthProbe(options.threads);
  const sequence = loaded.sequences[0];
  if (!sequence) throw new Error('the model loaded without a sequence');
  const completion = new LlamaCompletion({ contextSequence: sequence });
  /** Milliseconds per token, one entry per token after the first. */
  const decode = async (seed: number): Promise<number[]> => {
    await sequence.clearHistory();
    const perToken: number[] = [];
    let last: number | undefined;
    await completion.generateCompletion(`Describe change number ${seed} to the repository in plain words.`, {
      maxTokens: options.tokens,
      temperature: config.temperature,
      seed,
      onToken: (chunk) => {
        const now = performance.now();
        // A chunk of several tokens spreads its interval over them.
        if (last !== undefined && chunk.length > 0) for (const _ of chunk) perToken.push((now - last) / chunk.length);
        last = now;
      },
    });
    if (perToken.length < 8) throw new Error(`decode generated ${perToken.length + 1} token(s): too few to time`);
    return perToken;
  };
  const backend =
    loaded.llama.gpu === false
      ? `CPU kernels: ${cpuFeatures(loaded.llama.systemInfo).join(' ') || 'none reported'}`
      : `GPU: ${loaded.llama.gpu}`;
  options.log(`  decoding on ${backend}`);
  try {
    await decode(0); // warm-up: pages the weights in
    const rounds: BandwidthShareRound[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const bandwidth = quantile(await probe.measure(probeScans), 1 - timeQuantile);
      const perToken = await decode(round);
      const tokensPerSecond = 1000 / quantile(perToken, timeQuantile);
      const share = tokensPerSecond / (bandwidth / model.bytesPerToken);
      rounds.push({ bandwidth, tokensPerSecond, share });
      options.log(
        `  round ${round}: probe ${(bandwidth / 1e9).toFixed(2)} GB/s (${options.threads} thread(s), ${probeScans} scans) → bound ${(bandwidth / model.bytesPerToken).toFixed(2)} tok/s; decode ${tokensPerSecond.toFixed(2)} tok/s (${perToken.length + 1} tokens; median ${(1000 / median(perToken)).toFixed(2)}, whole round ${(perToken.length / (perToken.reduce((a, b) => a + b, 0) / 1000)).toFixed(2)}) → ${(share * 100).toFixed(1)} %`,
      );
    }
    const bandwidth = median(rounds.map((r) => r.bandwidth));
    return {
      layers: options.layers,
      bandwidthGBs: bandwidth / 1e9,
      bytesPerToken: model.bytesPerToken,
      boundTokensPerSecond: bandwidth / model.bytesPerToken,
      decodeTokensPerSecond: median(rounds.map((r) => r.tokensPerSecond)),
      share: median(rounds.map((r) => r.share)),
      rounds,
      backend,
    };
  } finally {
    await probe.close();
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
  }
}

/** `CPU : SSE3 = 1 | AVX2 = 1 | … | REPACK = 1 |` → the features switched on, in llama.cpp's order. */
function cpuFeatures(systemInfo: string): string[] {
  return [...systemInfo.matchAll(/([A-Z][A-Z0-9_]*) = 1/g)].map((match) => match[1] ?? '');
}
