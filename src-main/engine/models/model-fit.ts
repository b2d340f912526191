// "Does this model fit this machine, and with how much context?" answered by node-llama-cpp's own
// estimator (GgufInsights) from the file's real header, for the CPU (the loader lets node-llama-cpp
// weigh a GPU's VRAM itself at load time): the weights' size by tensor type, the KV cache
// per token from the layer count and attention shape, the graph overhead, against the RAM (and VRAM)
// the machine has. The largest context that fits, up to the one the model was trained for, is what
// llm.context_size `auto` resolves to (the loader lets node-llama-cpp make the same choice at load time).
import { importNodeLlamaCpp } from '../llm/node-llama-cpp';
import { totalmem } from 'node:os';
import type { GgufFileInfo } from 'node-llama-cpp';
import type { ModelFit } from '../../../src-shared/domain/models';

export type { ModelFit };

/** The memory to judge against, instead of this machine's (tests, and "would it fit on a 16 GB laptop"). */
export interface MachineMemory {
  ramTotal: number;
  ramFree: number;
  /** 0 when there is no GPU to offload to. */
  vramTotal?: number;
  vramFree?: number;
}

export interface EstimateFitOptions {
  /** Parallel sequences sharing the context memory (parallel.max_parallel_attempts). Default 1. */
  sequences?: number;
  machine?: MachineMemory;
}

export async function estimateModelFit(info: GgufFileInfo, options: EstimateFitOptions = {}): Promise<ModelFit> {
  // Imported on use: node-llama-cpp is heavy and only a fit estimate needs its estimator.
  const { GgufInsights, InsufficientMemoryError } = await importNodeLlamaCpp();
  const insights = await GgufInsights.from(info);
  const resolver = insights.configurationResolver;
  const trainContextSize = insights.trainContextSize ?? null;
  const machine = options.machine;
  const hardware =
    machine === undefined
      ? {}
      : {
          getRamState: () => Promise.resolve({ total: machine.ramTotal, free: machine.ramFree }),
          getSwapState: () => Promise.resolve({ total: 0, free: 0 }),
          getVramState: () =>
            Promise.resolve({ total: machine.vramTotal ?? 0, free: machine.vramFree ?? 0, unifiedSize: 0 }),
          llamaGpu: (machine.vramTotal ?? 0) > 0 ? ('cuda' as const) : (false as const),
          llamaSupportsGpuOffloading: (machine.vramTotal ?? 0) > 0,
        };
  let contextSize: number | null;
  try {
    contextSize = await resolver.resolveContextContextSize('auto', {
      modelGpuLayers: 0,
      modelTrainContextSize: trainContextSize ?? 4096,
      sequences: options.sequences ?? 1,
      ...hardware,
    });
  } catch (error) {
    if (!(error instanceof InsufficientMemoryError)) throw error;
    contextSize = null;
  }
  // RAM for the weights plus the context at the size chosen (at the smallest useful one when none
  // fits, to say by how much). node-llama-cpp's context choice counts memory-mapped weights as page
  // cache it may reclaim; on a CPU every weight is read for every token, so "fits" also asks that
  // weights and context together stay within the machine's memory, else the model pages from disk.
  const measuredAt = contextSize ?? Math.min(trainContextSize ?? 4096, 2048);
  const context = await insights.estimateContextResourceRequirementsV2({
    contextSize: measuredAt,
    modelGpuLayers: 0,
    sequences: options.sequences ?? 1,
  });
  const ramBytes = insights.modelSize + context.cpuRam;
  const ramTotal = machine?.ramTotal ?? totalmem();
  return {
    trainContextSize,
    contextSize,
    modelBytes: insights.modelSize,
    ramBytes,
    vramBytes: context.gpuVram,
    gpuLayers: 0,
    fits: contextSize !== null && ramBytes <= ramTotal,
  };
}
