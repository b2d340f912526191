import { describe, expect, it } from 'vitest';
import { splitMessages } from './llama-messages';

describe('splitMessages', () => {
  it('turns chat messages into a system prompt, history and the final user prompt', () => {
    const split = splitMessages([
      { role: 'system', content: 's' },
      { role: 'user', content: 'u1' },
      { role: 'user', content: 'u1b' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'u2' },
    ]);
    expect(split).toEqual({
      system: 's',
      history: [
        { type: 'user', text: 'u1\n\nu1b' },
        { type: 'model', response: ['a1'] },
      ],
      prompt: 'u2',
    });
  });

  it('rejects conversations that do not end with the user', () => {
    expect(() =>
      splitMessages([
        { role: 'user', content: 'u' },
        { role: 'assistant', content: 'a' },
      ]),
    ).toThrow(/user message last/);
    expect(() =>
      splitMessages([
        { role: 'user', content: 'u' },
        { role: 'system', content: 's' },
        { role: 'user', content: 'v' },
      ]),
    ).toThrow(/system message may only come first/);
  });
});
