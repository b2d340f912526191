// Decode as a share of the memory-bandwidth bound on a 13B shape (issue 12: "at ~81 % of the
// memory-bandwidth bound on a 13B-shaped Q4_0 model — keep it so"). A decode step reads every layer's
// weights and the output matrix once, so tokens/s can be at most bandwidth ÷ bytes per token; the
// share shows how close the provider runs to what the memory allows. A few layers keep the file and
// the run small: bytes per token are counted for the layers the file has, so the share stays fair.
import { measureReadBandwidth } from './memory-bandwidth';
import { aggregateTokensPerSecond, measureShapedDecode, shapedDecodeConfig } from './shaped-decode';
import { shapedModel } from './shaped-model';
import type { LlmConfig } from '../src-shared/config/schema';

export interface BandwidthShare {
  layers: number;
  bandwidthGBs: number;
  bytesPerToken: number;
  boundTokensPerSecond: number;
  decodeTokensPerSecond: number;
  share: number;
}

export async function measureBandwidthShare(options: {
  layers: number;
  threads: number;
  gpu: LlmConfig['gpu'];
  characters: number;
  log: (line: string) => void;
}): Promise<BandwidthShare> {
  const model = await shapedModel('13b', options.layers, 'q4_0');
  const bandwidth = measureReadBandwidth();
  const bound = bandwidth.bytesPerSecond / model.bytesPerToken;
  options.log(
    `  read bandwidth ${(bandwidth.bytesPerSecond / 1e9).toFixed(2)} GB/s (memchr over ${bandwidth.bufferBytes / 2 ** 20} MiB, best of ${bandwidth.rounds}); ${(model.bytesPerToken / 1e6).toFixed(1)} MB read per token → bound ${bound.toFixed(2)} tok/s`,
  );
  const runs = await measureShapedDecode(
    shapedDecodeConfig(model.path, { gpu: options.gpu, threads: options.threads }),
    1,
    [1, 1, 1],
    options.characters,
    options.log,
  );
  const decode = Math.max(...runs.map(aggregateTokensPerSecond));
  return {
    layers: options.layers,
    bandwidthGBs: bandwidth.bytesPerSecond / 1e9,
    bytesPerToken: model.bytesPerToken,
    boundTokensPerSecond: bound,
    decodeTokensPerSecond: decode,
    share: decode / bound,
  };
}
