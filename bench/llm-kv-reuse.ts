// Prompt tokens evaluated on the second turn of an improvement cycle, with and without KV-cache reuse.
//
// The attempt runner renders the edits prompt (edits-v1) again for each round of one attempt, with
// the same conversationId and the previous round's outcome appended as feedback; everything before
// the feedback is the same, so the sequence that served round 1 still holds it in its KV cache.
// "With reuse" sends round 2 under the attempt's conversationId; "without" sends the very same
// messages under a fresh id, which the sequence pool hands a sequence that holds nothing of it.
// Both counts come from the sequences' token meters (usage.promptTokens − usage.cachedTokens).
import { LlamaProvider } from '../src-main/engine/llm/llama-provider';
import { isLlmError } from '../src-main/engine/llm/llm-error';
import { editsSchema } from '../src-main/engine/llm/protocol';
import type { CompletionUsage } from '../src-main/engine/llm/provider';
import { editsPromptV1 } from '../src-main/engine/agents/prompts/edits-v1';
import type { ChatMessage } from '../src-main/engine/agents/prompts/prompt-types';
import type { LlmConfig } from '../src-shared/config/schema';
import { silentLogger } from '../src-main/engine/log/logger';

export interface KvReuseResult {
  round1: CompletionUsage;
  withReuse: CompletionUsage;
  withoutReuse: CompletionUsage;
  seed: number;
}

const maxTokens = 600;
const seedsToTry = 20;

export async function measureKvReuse(config: LlmConfig): Promise<KvReuseResult> {
  // Two sequences, as with parallel.max_parallel_attempts: 2; the fresh conversation gets the idle one.
  const provider = new LlamaProvider({ config, log: silentLogger(), sequences: 2 });
  try {
    await provider.start();
    const round1Messages = roundMessages(null);
    const round2Messages = roundMessages(
      'The checks failed after your edits:\n- npm test: 1 failing — src/queue.test.ts › "drops tasks past their deadline": expected 2, received 3\n' +
        'The edit to src/queue.ts applied cleanly.',
    );
    // The random model sometimes rambles past maxTokens (an invalid_output); such a seed is skipped,
    // since only the prompt side is being measured.
    for (let seed = 1; seed <= seedsToTry; seed++) {
      try {
        const attempt = `attempt-${seed}`;
        const round1 = await provider.complete({
          messages: round1Messages,
          schema: editsSchema,
          options: { maxTokens, temperature: config.temperature, seed },
          conversationId: attempt,
        });
        const withReuse = await provider.complete({
          messages: round2Messages,
          schema: editsSchema,
          options: { maxTokens, temperature: config.temperature, seed },
          conversationId: attempt,
        });
        const withoutReuse = await provider.complete({
          messages: round2Messages,
          schema: editsSchema,
          options: { maxTokens, temperature: config.temperature, seed },
          conversationId: `fresh-${seed}`,
        });
        return { round1: round1.usage, withReuse: withReuse.usage, withoutReuse: withoutReuse.usage, seed };
      } catch (error) {
        if (!isLlmError(error, 'invalid_output')) throw error;
        // Start the next seed from clean sequences, so that no earlier try's cache helps "without".
        await provider.freeMemory();
      }
    }
    throw new Error(`no seed in 1..${seedsToTry} gave three complete replies within ${maxTokens} tokens`);
  } finally {
    await provider.stop();
  }
}

export function promptTokensEvaluated(usage: CompletionUsage): number {
  return usage.promptTokens - usage.cachedTokens;
}

function roundMessages(feedback: string | null): ChatMessage[] {
  return editsPromptV1.render({
    task: {
      title: 'Drop queued tasks whose deadline has passed',
      description:
        'Tasks that were queued with a deadline should not be started once that deadline is over; mark them expired instead.',
      criteria: [
        'expired tasks are never started',
        'expired tasks show as "expired" in the report',
        'existing tests still pass',
      ],
      files: ['src/queue.ts', 'src/queue.test.ts'],
      retryNote: null,
    },
    context: repositoryContext(),
    feedback,
  });
}

// A repository context of the size the context builder produces for a small task: a file map and
// two source files (about 1500 tokens with the tiny model's vocabulary).
function repositoryContext(): string {
  const files = [
    'src/queue.ts',
    'src/queue.test.ts',
    'src/task.ts',
    'src/report.ts',
    'src/clock.ts',
    'package.json',
    'README.md',
  ];
  const queue = [
    "import type { Task } from './task';",
    "import { now } from './clock';",
    '',
    'export class Queue {',
    '  private readonly tasks: Task[] = [];',
    '',
    '  add(task: Task): void {',
    '    this.tasks.push(task);',
    '    this.tasks.sort((a, b) => a.priority - b.priority);',
    '  }',
    '',
    '  next(): Task | undefined {',
    '    return this.tasks.shift();',
    '  }',
    '',
    '  get size(): number {',
    '    return this.tasks.length;',
    '  }',
    '}',
  ].join('\n');
  const tests = Array.from({ length: 8 }, (_, i) =>
    [
      `  it('keeps task ${i} in priority order', () => {`,
      '    const queue = new Queue();',
      `    queue.add({ id: 't${i}', priority: ${i}, deadline: null });`,
      `    queue.add({ id: 'u${i}', priority: ${i + 1}, deadline: null });`,
      `    expect(queue.next()?.id).toBe('t${i}');`,
      '  });',
    ].join('\n'),
  ).join('\n\n');
  return [
    `# Files\n${files.map((f) => `- ${f}`).join('\n')}`,
    `# src/queue.ts\n\`\`\`ts\n${queue}\n\`\`\``,
    `# src/queue.test.ts\n\`\`\`ts\nimport { describe, expect, it } from 'vitest';\nimport { Queue } from './queue';\n\ndescribe('Queue', () => {\n${tests}\n});\n\`\`\``,
  ].join('\n\n');
}
