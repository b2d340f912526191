// The machine's memory read bandwidth, measured the simple way: scan a buffer far larger than any
// cache for a byte it does not contain (memchr: a pure read loop in native code, as decode's weight
// reads are), best of a few rounds. Decode on a memory-bound model cannot beat bandwidth ÷ bytes read
// per token; the benchmarks report decode as a share of that bound.
import { performance } from 'node:perf_hooks';

export interface Bandwidth {
  /** Bytes per second, the best round. */
  bytesPerSecond: number;
  bufferBytes: number;
  rounds: number;
}

export function measureReadBandwidth(bufferBytes = 512 * 1024 * 1024, rounds = 5): Bandwidth {
  // fill() touches every page, so the scan measures memory, not page faults.
  const buffer = Buffer.alloc(bufferBytes, 0);
  let best = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    const found = buffer.indexOf(1);
    const seconds = (performance.now() - started) / 1000;
    if (found !== -1) throw new Error('the bandwidth buffer is not all zeros');
    best = Math.max(best, bufferBytes / seconds);
  }
  return { bytesPerSecond: best, bufferBytes, rounds };
}
