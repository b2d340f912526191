import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startLoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import type { LoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import { discoverLocalServers } from './discover-servers';
import { KNOWN_LOCAL_SERVERS, localServersToProbe } from './local-servers';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function openAiServer(models: string[]): Promise<LoopbackOpenAiServer> {
  const server = await startLoopbackOpenAiServer({ models });
  cleanups.push(() => server.close());
  return server;
}

/** A web server that is not a model server: answers every path with an HTML page. */
async function htmlServer(status: number): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html' });
    res.end('<html><body>hello</body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

describe('discoverLocalServers', () => {
  it('lists the servers that answer an OpenAI model list, with their models, and says why the others were skipped', async () => {
    const studio = await openAiServer(['qwen2.5-coder-7b-instruct', 'codellama-13b-instruct']);
    const ollama = await openAiServer(['llama3.1:8b']);
    const notAModelServer = await htmlServer(200);
    const missing = await htmlServer(404);
    const nothing = await closedPort();

    const discovery = await discoverLocalServers({
      servers: [
        { id: 'lm-studio', name: 'LM Studio', apiUrl: studio.url },
        { id: 'ollama', name: 'Ollama', apiUrl: ollama.url },
        { id: 'llama-server', name: 'llama.cpp server', apiUrl: notAModelServer },
        { id: 'configured', name: 'missing', apiUrl: missing },
        { id: 'configured', name: 'closed', apiUrl: nothing },
      ],
    });

    expect(discovery.found).toEqual([
      {
        id: 'lm-studio',
        name: 'LM Studio',
        apiUrl: studio.url,
        models: ['qwen2.5-coder-7b-instruct', 'codellama-13b-instruct'],
      },
      { id: 'ollama', name: 'Ollama', apiUrl: ollama.url, models: ['llama3.1:8b'] },
    ]);
    expect(discovery.skipped.map((s) => [s.apiUrl, s.reason])).toEqual([
      [notAModelServer, 'GET /v1/models did not answer JSON'],
      [missing, 'answered HTTP 404 to GET /v1/models'],
      [nothing, 'nothing is listening'],
    ]);
    expect(studio.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
  });

  it('gives up on a server that does not answer in time', async () => {
    const server = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const discovery = await discoverLocalServers({
      servers: [{ id: 'ollama', name: 'Ollama', apiUrl }],
      timeoutMs: 200,
    });
    expect(discovery.found).toEqual([]);
    expect(discovery.skipped[0]?.reason).toBe('no answer within 200 ms');
  });

  it('probes the configured server too when it is not one of the well-known addresses', () => {
    expect(localServersToProbe('http://127.0.0.1:1234/v1/')).toEqual(KNOWN_LOCAL_SERVERS);
    expect(localServersToProbe('http://127.0.0.1:9999/v1').at(-1)).toEqual({
      id: 'configured',
      name: 'the server in llm.api_url',
      apiUrl: 'http://127.0.0.1:9999/v1',
    });
  });
});
