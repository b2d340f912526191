// The machine's memory read bandwidth, measured the simple way: scan a buffer far larger than any
// cache for a byte it does not contain (memchr: a pure read loop in native code, as decode's weight
// reads are). Decode on a memory-bound model cannot beat bandwidth ÷ bytes read per token; the
// benchmarks report decode as a share of that bound.
//
// Measured with as many threads as decode uses (each scans its own slice at the same time), because one
// core alone cannot pull what the memory system gives several. The buffer is filled with a non-zero byte
// first: a zero-filled Buffer is never written, so the first scan of it measures page faults (0.2 GB/s
// here) and only later ones the memory. A scan is short (~18 ms, about one token of the 13B shape's
// decode), so the probe runs between decode rounds with the model loaded, and the bench pairs them.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';

/** One scan of the whole buffer: bytes read per second of wall time, all threads together. */
export type BandwidthScan = number;

export interface ReadBandwidthProbe {
  threads: number;
  bufferBytes: number;
  /** Scans the buffer `rounds` times. */
  measure(rounds: number): Promise<BandwidthScan[]>;
  close(): Promise<void>;
}

const fillByte = 2;
const missingByte = 1;

/** A scan of one slice, in a worker: started by `go`, timed by the worker itself. */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const view = Buffer.from(workerData.shared, workerData.start, workerData.length);
parentPort.on('message', (rounds) => {
  const times = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    if (view.indexOf(${missingByte}) !== -1) throw new Error('the bandwidth buffer holds the searched byte');
    times.push(performance.now() - started);
  }
  parentPort.postMessage(times);
});
`;

export function readBandwidthProbe(threads: number, bufferBytes = 512 * 1024 * 1024): ReadBandwidthProbe {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a positive integer, got ${threads}`);
  if (threads === 1) {
    const buffer = Buffer.alloc(bufferBytes, fillByte);
    return {
      threads,
      bufferBytes,
      measure(rounds) {
        const results: BandwidthScan[] = [];
        for (let round = 0; round < rounds; round++) {
          const started = performance.now();
          const found = buffer.indexOf(missingByte);
          const seconds = (performance.now() - started) / 1000;
          if (found !== -1) throw new Error('the bandwidth buffer holds the searched byte');
          results.push(bufferBytes / seconds);
        }
        return Promise.resolve(results);
      },
      close: () => Promise.resolve(),
    };
  }
  const slice = Math.floor(bufferBytes / threads);
  const shared = new SharedArrayBuffer(slice * threads);
  Buffer.from(shared).fill(fillByte);
  const workers = Array.from(
    { length: threads },
    (_, i) => new Worker(workerSource, { eval: true, workerData: { shared, start: i * slice, length: slice } }),
  );
  return {
    threads,
    bufferBytes: slice * threads,
    async measure(rounds) {
      const perWorker = await Promise.all(
        workers.map(
          (worker) =>
            new Promise<number[]>((resolve, reject) => {
              worker.once('message', resolve);
              worker.once('error', reject);
              worker.postMessage(rounds);
            }),
        ),
      );
      // A round lasts as long as its slowest slice: all threads read together for that long.
      return Array.from({ length: rounds }, (_, round) => {
        const ms = Math.max(...perWorker.map((times) => times[round] ?? Number.POSITIVE_INFINITY));
        return (slice * threads) / (ms / 1000);
      });
    },
    async close() {
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
