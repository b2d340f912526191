// The first run's channels over a real engine on a temp home: what setup:get finds (a loopback
// OpenAI-compatible server at the configured address, the embedded catalog with fits), and that each
// confirmed step is written through the one config writer (config:changed) and shows in status:get.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-shared/api/names';
import { loadConfig } from '../config/config-file';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import { startLoopbackOpenAiServer } from '../llm/testing/loopback-openai-server';
import { findCatalogModel } from '../models/catalog';
import { callChannel } from './call-channel';
import { createEngineApi } from './create-engine-api';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function setUp(configYaml: string, env: NodeJS.ProcessEnv = {}) {
  const home = await createTempDir('nocturnal-setup-api-');
  cleanups.push(() => home.cleanup());
  fs.writeFileSync(path.join(home.path, 'config.yaml'), configYaml);
  const engine: Engine = createEngine({ home: home.path, env, config: loadConfig({ home: home.path, env }) });
  cleanups.push(() => engine.stop());
  const seen: { event: EventName; payload: unknown }[] = [];
  engine.events.onAny((event, payload) => seen.push({ event, payload }));
  return { home: home.path, engine, api: createEngineApi(engine, { host: 'cli', version: '0.0.0-test' }), seen };
}

describe('setup channels', () => {
  it('setup:get lists the server at llm.api_url with its models, the catalog with fits, and the checklist; useServer writes exactly that', async () => {
    const server = await startLoopbackOpenAiServer({ models: ['coder-a', 'coder-b'] });
    cleanups.push(() => server.close());
    const { engine, api, seen } = await setUp(`llm:\n  api_url: ${server.url}\nscheduler:\n  night_mode: false\n`);

    const info = await callChannel(api, 'setup:get', {});
    expect(info.servers.found).toContainEqual({
      id: 'configured',
      name: 'the server in llm.api_url',
      apiUrl: server.url,
      models: ['coder-a', 'coder-b'],
    });
    expect(info.embedded.options.map((o) => o.model.id)[0]).toBe(info.embedded.recommended.model.id);
    expect(info.embedded.options.every((o) => o.downloaded === false)).toBe(true);
    expect(info.checklist.steps.map((s) => [s.id, s.done, s.missing])).toEqual([
      ['model', false, 'no model yet'],
      ['repository', false, 'no repository yet'],
      ['night', false, 'night mode is off'],
    ]);

    const config = await callChannel(api, 'setup:useServer', { apiUrl: `${server.url}/`, model: 'coder-b' });
    expect(config.llm).toMatchObject({ provider: 'openai', api_url: server.url, model: 'coder-b' });
    expect(loadConfig({ home: engine.home, env: {} }).llm).toMatchObject({
      provider: 'openai',
      api_url: server.url,
      model: 'coder-b',
    });
    expect(seen.some((e) => e.event === 'config:changed')).toBe(true);

    const night = await callChannel(api, 'setup:setNight', {
      startTime: '23:15',
      endTime: '05:45',
      nightMode: true,
      notifications: false,
    });
    expect(night.scheduler).toMatchObject({ start_time: '23:15', end_time: '05:45', night_mode: true });
    expect(night.notifications.enabled).toBe(false);
    expect(seen.some((e) => e.event === 'nightMode:changed')).toBe(true);

    const repo = await createTempRepo({ files: { 'test.js': 'process.exit(0);\n' } });
    cleanups.push(() => repo.cleanup());
    await callChannel(api, 'workspaces:add', { path: repo.path, test: 'node test.js' });
    const status = await callChannel(api, 'status:get', {});
    expect(status.setup).toEqual({
      complete: true,
      steps: ['model', 'repository', 'night'].map((id) => ({ id, done: true, missing: null, fix: null })),
    });
  });

  it('refuses what it cannot write, naming the field, and writes nothing', async () => {
    const { engine, api } = await setUp('{}\n', { NOCTURNAL_LLM_MODEL: 'pinned' });
    await expect(callChannel(api, 'setup:useEmbedded', { modelId: 'no-such-model' })).rejects.toThrow(
      'modelId: no-such-model is not in the model catalog',
    );
    await expect(
      callChannel(api, 'setup:setNight', {
        startTime: '25:00',
        endTime: '06:00',
        nightMode: true,
        notifications: true,
      }),
    ).rejects.toThrow(/startTime.*24-hour time/);
    // The environment pins llm.model: the window is told so instead of writing a value that would not apply.
    await expect(callChannel(api, 'setup:useServer', { apiUrl: 'http://127.0.0.1:1/v1', model: 'x' })).rejects.toThrow(
      'llm.model is set by the environment variable NOCTURNAL_LLM_MODEL=pinned',
    );
    expect(fs.readFileSync(path.join(engine.home, 'config.yaml'), 'utf8')).not.toContain('model_path: ');
  });

  it('useEmbedded names the model in the config and starts its download through models:pull (progress and failure as models:progress)', async () => {
    const hub = `http://127.0.0.1:${await closedPort()}`;
    const { engine, api, seen } = await setUp('{}\n', { HF_ENDPOINT: hub });
    const model = findCatalogModel('qwen2.5-coder-1.5b-instruct');
    if (!model) throw new Error('qwen2.5-coder-1.5b-instruct left the catalog; pick another small model here');

    const answer = await callChannel(api, 'setup:useEmbedded', { modelId: model.id });
    expect(answer).toEqual({ modelId: model.id, uri: model.uri, downloading: true });
    expect(engine.config.llm).toMatchObject({ provider: 'llama', model_path: model.fileName });
    // Nothing serves the hub here: the download the answer started fails, and says so as an event.
    const deadline = Date.now() + 15_000;
    while (
      !seen.some((e) => e.event === 'models:progress' && (e.payload as { state: string }).state === 'failed') &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 50));
    expect(
      seen.find((e) => e.event === 'models:progress' && (e.payload as { state: string }).state === 'failed')?.payload,
    ).toMatchObject({ uri: model.id, state: 'failed' });

    // Already downloaded: nothing to fetch.
    fs.mkdirSync(engine.paths.models, { recursive: true });
    fs.writeFileSync(path.join(engine.paths.models, model.fileName), 'GGUF');
    expect(await callChannel(api, 'setup:useEmbedded', { modelId: model.id })).toEqual({
      modelId: model.id,
      uri: model.uri,
      downloading: false,
    });
    expect(
      (await callChannel(api, 'setup:get', {})).embedded.options.find((o) => o.model.id === model.id)?.downloaded,
    ).toBe(true);
  });
});
