// Chat messages (the provider-neutral form the pipeline sends) → what node-llama-cpp's chat session
// wants: a system prompt, the earlier turns as history, and the final user message as the prompt.
import type { ChatHistoryItem } from 'node-llama-cpp';
import { LlmError } from './llm-error';
import type { ChatMessage } from './provider';

/**
 * Chat messages → node-llama-cpp history. The last message must be the user's (it is the prompt);
 * a leading system message becomes the system prompt; consecutive messages of one role are joined,
 * since chat templates expect strictly alternating turns.
 */
export function splitMessages(messages: ChatMessage[]): {
  system: string | undefined;
  history: ChatHistoryItem[];
  prompt: string;
} {
  const merged: ChatMessage[] = [];
  for (const message of messages) {
    const last = merged.at(-1);
    if (last !== undefined && last.role === message.role) last.content = `${last.content}\n\n${message.content}`;
    else merged.push({ ...message });
  }
  let system: string | undefined;
  if (merged[0]?.role === 'system') system = merged.shift()?.content;
  const last = merged.pop();
  if (last === undefined || last.role !== 'user') {
    throw new LlmError(
      'permanent',
      'a model call needs a user message last; the conversation ends with ' +
        (last === undefined ? 'nothing' : `a ${last.role} message`),
    );
  }
  if (merged.some((m) => m.role === 'system')) {
    throw new LlmError('permanent', 'a system message may only come first in a model call');
  }
  const history: ChatHistoryItem[] = merged.map((m) =>
    m.role === 'user' ? { type: 'user', text: m.content } : { type: 'model', response: [m.content] },
  );
  return { system, history, prompt: last.content };
}
