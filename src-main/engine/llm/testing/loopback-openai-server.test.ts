import { OpenAI } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackOpenAiServer } from './loopback-openai-server';
import type { LoopbackOpenAiServer } from './loopback-openai-server';

let server: LoopbackOpenAiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function client(url: string): OpenAI {
  return new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });
}

describe('the loopback OpenAI-compatible server', () => {
  it('lists models and answers from the queue, then from the responder', async () => {
    server = await startLoopbackOpenAiServer({
      models: ['a', 'b'],
      responder: (req) => ({ content: { echo: req.body.messages?.at(-1)?.content } }),
    });
    const sdk = client(server.url);
    expect((await sdk.models.list()).data.map((m) => m.id)).toEqual(['a', 'b']);
    server.enqueue({ content: 'scripted' });
    const first = await sdk.chat.completions.create({ model: 'a', messages: [{ role: 'user', content: 'hi' }] });
    expect(first.choices[0]?.message.content).toBe('scripted');
    const second = await sdk.chat.completions.create({ model: 'a', messages: [{ role: 'user', content: 'again' }] });
    expect(second.choices[0]?.message.content).toBe('{"echo":"again"}');
    expect(second.usage?.total_tokens).toBeGreaterThan(0);
    expect(server.chatRequests.map((r) => r.body.messages?.[0]?.content)).toEqual(['hi', 'again']);
    expect(server.pending).toBe(0);
  });

  it('streams when asked, with usage at the end', async () => {
    server = await startLoopbackOpenAiServer();
    server.enqueue({
      content: 'a reply long enough to arrive in several chunks',
      usage: { prompt_tokens: 5, completion_tokens: 9 },
    });
    const stream = await client(server.url).chat.completions.create({
      model: 'loopback-model',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe('a reply long enough to arrive in several chunks');
    expect(chunks).toBeGreaterThan(3);
    expect(completionTokens).toBe(9);
  });

  it('answers scripted errors with an OpenAI-style body, and 500 when nothing is scripted', async () => {
    server = await startLoopbackOpenAiServer();
    server.enqueue({ status: 503, message: 'loading model' });
    const sdk = client(server.url);
    const call = () => sdk.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] });
    await expect(call()).rejects.toMatchObject({ status: 503, error: { message: 'loading model' } });
    await expect(call()).rejects.toMatchObject({ status: 500 });
  });

  it('closes even while a reply hangs', async () => {
    server = await startLoopbackOpenAiServer();
    server.enqueue({ hang: true });
    const pending = client(server.url).chat.completions.create({
      model: 'm',
      messages: [{ role: 'user', content: 'x' }],
    });
    while (server.chatRequests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await server.close();
    server = undefined;
    await expect(pending).rejects.toThrow();
  });
});
