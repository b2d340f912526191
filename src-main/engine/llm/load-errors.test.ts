// The out-of-memory translation, fed the errors llama.cpp and node-llama-cpp really produce: a real
// out-of-memory load cannot be provoked on demand on a test machine.
import { InsufficientMemoryError } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { LlmError } from './llm-error';
import { loadFailure, outOfMemoryEvidence } from './load-errors';

const ctx = {
  modelPath: '/models/codellama-13b-instruct.Q8_0.gguf',
  gpu: 'auto' as const,
  contextSize: 8192,
  sequences: 2,
  recentLog: [],
};

describe('loadFailure', () => {
  it("turns node-llama-cpp's memory estimate refusal into advice", () => {
    const error = loadFailure(
      new InsufficientMemoryError('A context size of 8192 with 2 sequences is too large for the available VRAM'),
      ctx,
    );
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(
      'not enough memory to load /models/codellama-13b-instruct.Q8_0.gguf (A context size of 8192 with 2 sequences is too large for the available VRAM); ' +
        'use a smaller quantisation of the model (e.g. Q4_K_M instead of Q8_0, or a model with fewer parameters); ' +
        'lower llm.context_size (now 8192) or parallel.max_parallel_attempts (now 2 sequences share the context memory); ' +
        'offload fewer layers to the GPU — with llm.gpu: false the model runs on the CPU from system memory; ' +
        'or run the model in LM Studio or another OpenAI-compatible server (llm.provider: openai), on this or a bigger machine',
    );
  });

  it("finds an allocation failure that only llama.cpp's log names", () => {
    const recentLog = [
      'llama_model_load: using mmap',
      'ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer of size 13958643712',
      'llama_init_from_model: failed to initialize the context: failed to allocate compute buffers',
    ];
    const error = loadFailure(new Error('Failed to create context'), { ...ctx, gpu: false, sequences: 1, recentLog });
    expect(error.message).toMatch(
      /^not enough memory to load \/models\/codellama-13b-instruct\.Q8_0\.gguf \(llama_init_from_model: failed to initialize the context: failed to allocate compute buffers\); /,
    );
    expect(error.message).toContain('lower llm.context_size (now 8192);');
    expect(error.message).toContain('close other memory-hungry programs');
    expect(error.message).not.toContain('GPU');
  });

  it('finds a CUDA or Vulkan out-of-memory in the error chain', () => {
    const cuda = new Error('Failed to load model', {
      cause: new Error('ggml_cuda_host_malloc: cudaMalloc failed: out of memory'),
    });
    expect(outOfMemoryEvidence(cuda, [])).toBe('ggml_cuda_host_malloc: cudaMalloc failed: out of memory');
    expect(outOfMemoryEvidence(new Error('vk::Device::allocateMemory: ErrorOutOfDeviceMemory'), [])).toContain(
      'ErrorOutOfDeviceMemory',
    );
  });

  it('reports other load failures as they are, with what llama.cpp said last', () => {
    const error = loadFailure(new Error('Failed to load model'), {
      ...ctx,
      recentLog: ['llama_model_load: error loading model: tensor data is not within file bounds'],
    });
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(
      'cannot load the model /models/codellama-13b-instruct.Q8_0.gguf: Failed to load model (llama.cpp said: llama_model_load: error loading model: tensor data is not within file bounds)',
    );
    const own = new LlmError('permanent', 'llm.context_size is too big');
    expect(loadFailure(own, ctx)).toBe(own);
  });
});
