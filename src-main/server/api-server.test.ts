// The loopback transport against a real engine on a temporary home: the token, the Host check, the
// envelope and status codes, bad bodies, events over SSE, and the renderer's files.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineApi } from '../engine/api/create-engine-api';
import { describeError } from '../engine/api/describe-error';
import { defaultConfig } from '../../src-shared/config/schema';
import { createEngine } from '../engine/engine';
import { createTempDir, createTempRepo } from '../engine/git/testing/temp-repo';
import { MAX_BODY_BYTES, startApiServer } from './api-server';
import type { ApiServer } from './api-server';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(): Promise<{ server: ApiServer; repoPath: string; renderer: string }> {
  const home = await createTempDir('nocturnal-serve-home-');
  const repo = await createTempRepo({ files: { 'test.js': 'process.exit(0);\n' } });
  const renderer = await createTempDir('nocturnal-renderer-');
  fs.writeFileSync(path.join(renderer.path, 'index.html'), '<!doctype html><title>Nocturnal Agent</title>');
  fs.writeFileSync(path.join(home.path, 'secret.txt'), 'not for the web');
  const engine = createEngine({ home: home.path, env: {}, config: defaultConfig() });
  await engine.start();
  const server = await startApiServer({
    handlers: createEngineApi(engine, { host: 'server', version: '0.0.0-test' }),
    describeError,
    subscribe: (listener) => engine.events.onAny((event, payload) => listener(event, payload)),
    rendererDir: renderer.path,
    port: 0,
  });
  cleanups.push(
    () => home.cleanup(),
    () => repo.cleanup(),
    () => renderer.cleanup(),
    () => engine.stop(),
    () => server.close(),
  );
  return { server, repoPath: repo.path, renderer: renderer.path };
}

function post(server: ApiServer, channel: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`http://127.0.0.1:${server.port}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${server.token}`, ...headers },
    body,
  });
}

describe('nocturnal serve transport', () => {
  it('prints an address with the port and a long random token', async () => {
    const { server } = await serve();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers 401 without the token or with a wrong one, before looking at the channel', async () => {
    const { server } = await serve();
    const missing = await post(server, 'status:get', '{}', { authorization: '' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { type: 'forbidden', message: expect.stringContaining('Authorization: Bearer') },
    });
    const wrong = await post(server, 'no:such', '{}', { authorization: `Bearer ${server.token.slice(1)}x` });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toContain('wrong token');
    expect((await fetch(`http://127.0.0.1:${server.port}/api/events`)).status).toBe(401);
  });

  it('answers {data} for a good call and {error} naming the field for a bad payload', async () => {
    const { server, repoPath } = await serve();
    const added = await post(
      server,
      'workspaces:add',
      JSON.stringify({ path: repoPath, name: 'calc', test: 'node test.js' }),
    );
    expect(added.status).toBe(200);
    expect(await added.json()).toMatchObject({
      data: {
        name: 'calc',
        baseBranch: 'main',
        targetBranch: 'nocturnal/integration',
        checks: { test: 'node test.js' },
      },
    });

    const bad = await post(server, 'tasks:add', JSON.stringify({ workspace: 'calc', title: 'x', priority: 'urgent' }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { type: 'validation', message: expect.stringMatching(/^tasks:add: invalid payload: priority: /) },
    });
    const missing = await post(server, 'tasks:get', '{}');
    expect(await missing.json()).toEqual({ error: { type: 'validation', message: expect.stringContaining('id: ') } });
    const notFound = await post(server, 'tasks:get', JSON.stringify({ id: 't_nothing' }));
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({
      error: { type: 'not_found', message: expect.stringContaining('t_nothing') },
    });
  });

  it('refuses unknown channels, other methods, bad JSON, other content types and oversized bodies', async () => {
    const { server } = await serve();
    const unknown = await post(server, 'shell:exec', '{}');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { type: string } }).error.type).toBe('unknown_channel');
    expect(
      (
        await fetch(`http://127.0.0.1:${server.port}/api/status:get`, {
          headers: { authorization: `Bearer ${server.token}` },
        })
      ).status,
    ).toBe(405);
    const broken = await post(server, 'tasks:list', '{"status": ');
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error: { message: string } }).error.message).toContain('not valid JSON');
    expect((await post(server, 'tasks:list', '{}', { 'content-type': 'text/plain' })).status).toBe(415);
    const huge = await post(server, 'tasks:list', JSON.stringify({ status: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(huge.status).toBe(413);
    // An empty body is the empty payload.
    expect(await (await post(server, 'tasks:list', '')).json()).toEqual({ data: [] });
  });

  it('refuses a request that names another host (DNS rebinding)', async () => {
    const { server } = await serve();
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/status:get',
          method: 'POST',
          headers: {
            host: `evil.example:${server.port}`,
            authorization: `Bearer ${server.token}`,
            'content-type': 'application/json',
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end('{}');
    });
    expect(status).toBe(403);
  });

  it('streams events to a subscriber that presents the token in the query', async () => {
    const { server, repoPath } = await serve();
    const controller = new AbortController();
    const stream = await fetch(`http://127.0.0.1:${server.port}/api/events?token=${server.token}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body?.getReader();
    if (!reader) throw new Error('no body');
    await post(server, 'workspaces:add', JSON.stringify({ path: repoPath, name: 'calc', test: 'node test.js' }));
    const task = (
      (await (await post(server, 'tasks:add', JSON.stringify({ workspace: 'calc', title: 'Fix add()' }))).json()) as {
        data: { id: string };
      }
    ).data;
    let text = '';
    const decoder = new TextDecoder();
    while (!text.includes('event: task:changed')) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += decoder.decode(chunk.value, { stream: true });
    }
    controller.abort();
    const block = text.split('\n\n').find((b) => b.startsWith('event: task:changed'));
    const data = JSON.parse(
      block
        ?.split('\n')
        .find((l) => l.startsWith('data: '))
        ?.slice(6) ?? 'null',
    ) as { task: { id: string; status: string }; origin: string };
    expect(data).toMatchObject({ origin: 'engine', task: { id: task.id, status: 'queued' } });
  });

  it('serves the renderer at / and nothing outside its folder', async () => {
    const { server } = await serve();
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>Nocturnal Agent</title>');
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fsecret.txt`);
    expect([403, 404]).toContain(escape.status);
    expect(await escape.text()).not.toContain('not for the web');
  });
});
