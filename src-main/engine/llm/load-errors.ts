// Turns a failure to load the embedded model into an LlmError a person can act on. Running out of
// memory is the common case and the least obvious one: node-llama-cpp throws InsufficientMemoryError
// when its estimate says the model or context will not fit, but when llama.cpp itself fails to
// allocate, the thrown error only says "Failed to load model" / "Failed to create context" and the
// real reason ("failed to allocate buffer", "cudaMalloc failed: out of memory") is in llama.cpp's
// log. So the log lines seen during the load are passed in and searched too.
import { InsufficientMemoryError } from 'node-llama-cpp';
import { LlmError, rootCauseMessage } from './llm-error';

export interface LoadFailureContext {
  modelPath: string;
  /** llm.gpu as configured. */
  gpu: string | false;
  /** llm.context_size as configured (`auto`: node-llama-cpp picked the largest that fits). */
  contextSize: number | 'auto';
  sequences: number;
  /** llama.cpp warning and error lines logged while loading, oldest first. */
  recentLog: readonly string[];
}

const outOfMemoryPatterns = [
  /out of memory/i,
  /failed to allocate/i,
  /unable to allocate/i,
  /cannot allocate memory/i,
  /not enough (v?ram|memory)/i,
  /too large for the available/i,
  /insufficient memory/i,
  /ErrorOutOfDeviceMemory|ErrorOutOfHostMemory/,
  /cudaMalloc failed/i,
  /ENOMEM/,
];

/** The line that shows a load ran out of memory, from the error chain or llama.cpp's log; else undefined. */
export function outOfMemoryEvidence(error: unknown, recentLog: readonly string[]): string | undefined {
  if (hasInsufficientMemoryError(error)) return rootCauseMessage(error);
  const candidates = [...errorMessages(error), ...[...recentLog].reverse()];
  return candidates.find((text) => outOfMemoryPatterns.some((pattern) => pattern.test(text)));
}

export function loadFailure(error: unknown, ctx: LoadFailureContext): LlmError {
  if (error instanceof LlmError) return error;
  const evidence = outOfMemoryEvidence(error, ctx.recentLog);
  if (evidence !== undefined)
    return new LlmError('permanent', outOfMemoryAdvice(evidence.trim(), ctx), { cause: error });
  const lastLogLine = ctx.recentLog.at(-1);
  const detail = rootCauseMessage(error);
  const logged = lastLogLine === undefined || lastLogLine === detail ? '' : ` (llama.cpp said: ${lastLogLine.trim()})`;
  return new LlmError('permanent', `cannot load the model ${ctx.modelPath}: ${detail}${logged}`, { cause: error });
}

function outOfMemoryAdvice(evidence: string, ctx: LoadFailureContext): string {
  const onGpu = ctx.gpu !== false;
  const steps = [
    'use a smaller quantisation of the model (e.g. Q4_K_M instead of Q8_0, or a model with fewer parameters)',
    `${ctx.contextSize === 'auto' ? "set llm.context_size to a number below the model's trained context (now auto)" : `lower llm.context_size (now ${ctx.contextSize})`}${ctx.sequences > 1 ? ` or parallel.max_parallel_attempts (now ${ctx.sequences} sequences share the context memory)` : ''}`,
    onGpu
      ? 'offload fewer layers to the GPU — with llm.gpu: false the model runs on the CPU from system memory'
      : 'close other memory-hungry programs',
    'or run the model in LM Studio or another OpenAI-compatible server (llm.provider: openai), on this or a bigger machine',
  ];
  return `not enough memory to load ${ctx.modelPath} (${evidence}); ${steps.join('; ')}`;
}

function hasInsufficientMemoryError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof InsufficientMemoryError) return true;
    current = current.cause;
  }
  return false;
}

function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined; depth++) {
    messages.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return messages;
}
