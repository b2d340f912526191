// Two engines on one home, as the app and the CLI are: what one writes (tasks, approvals' effects,
// config edits) reaches the other as events, and the config writer keeps comments and refuses what
// it must. Real SQLite file, real config.yaml, real file watching.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-shared/api/names';
import { createEngineApi } from '../api/create-engine-api';
import { callChannel } from '../api/call-channel';
import { loadConfig } from '../config/config-file';
import { renderDefaultConfigYaml } from '../config/default-config-yaml';
import { createEngine } from '../engine';
import type { Engine } from '../engine';
import { createTempDir, createTempRepo } from '../git/testing/temp-repo';
import type { TempRepo } from '../git/testing/temp-repo';
import { until } from '../testing/until';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ home: string; repo: TempRepo }> {
  const home = await createTempDir('nocturnal-shared-home-');
  const repo = await createTempRepo({ files: { 'math.js': 'module.exports = 1;\n', 'test.js': 'process.exit(0);\n' } });
  cleanups.push(
    () => home.cleanup(),
    () => repo.cleanup(),
  );
  fs.writeFileSync(path.join(home.path, 'config.yaml'), renderDefaultConfigYaml());
  return { home: home.path, repo };
}

function open(home: string, options: { watch?: boolean; env?: NodeJS.ProcessEnv } = {}): Engine {
  const env = options.env ?? {};
  const engine = createEngine({
    home,
    env,
    config: loadConfig({ home, env }),
    ...(options.watch ? { watchIntervalMs: 40 } : {}),
  });
  cleanups.push(() => engine.stop());
  return engine;
}

function record(engine: Engine): { event: EventName; payload: unknown }[] {
  const seen: { event: EventName; payload: unknown }[] = [];
  engine.events.onAny((event, payload) => seen.push({ event, payload }));
  return seen;
}

describe('changes made by another process on the same home', () => {
  it('reach a running engine as task:changed and status:changed, marked external', async () => {
    const { home, repo } = await setUp();
    const app = open(home, { watch: true });
    await app.start();
    const seen = record(app);
    const cli = open(home);
    const api = createEngineApi(cli, { host: 'cli', version: '0.0.0-test' });

    await callChannel(api, 'workspaces:add', { path: repo.path, name: 'calc', test: 'node test.js' });
    const task = await callChannel(api, 'tasks:add', { workspace: 'calc', title: 'Fix add()', priority: 'high' });

    const changed = await until('task:changed', () => seen.find((e) => e.event === 'task:changed'));
    expect(changed.payload).toMatchObject({
      origin: 'external',
      task: { id: task.id, title: 'Fix add()', status: 'queued', priority: 'high', workspace: 'calc' },
    });
    const status = await until('status:changed with the new task', () =>
      seen.find((e) => e.event === 'status:changed' && (e.payload as { queue: { queued: number } }).queue.queued === 1),
    );
    expect(status.payload).toMatchObject({ home, queue: { queued: 1 }, waitingReviews: 0 });

    // The other process cancels it: the running engine hears about that too, with the new state.
    await callChannel(api, 'tasks:cancel', { id: task.id });
    const cancelled = await until('the cancellation', () =>
      seen.find(
        (e) => e.event === 'task:changed' && (e.payload as { task: { status: string } }).task.status === 'cancelled',
      ),
    );
    expect(cancelled.payload).toMatchObject({
      origin: 'external',
      task: { id: task.id, statusReason: 'cancelled by the user' },
    });
  });

  it('publishes its own changes as engine changes, once each', async () => {
    const { home, repo } = await setUp();
    const app = open(home, { watch: true });
    await app.start();
    const seen = record(app);
    const api = createEngineApi(app, { host: 'server', version: '0.0.0-test' });
    await callChannel(api, 'workspaces:add', { path: repo.path, name: 'calc', test: 'node test.js' });
    const task = await callChannel(api, 'tasks:add', { workspace: 'calc', title: 'Fix add()' });
    // The event is out before the answer is.
    expect(seen.filter((e) => e.event === 'task:changed')).toEqual([
      { event: 'task:changed', payload: { origin: 'engine', task } },
    ]);
    await callChannel(api, 'tasks:update', { id: task.id, title: 'Fix add() for negative numbers' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      seen.filter((e) => e.event === 'task:changed').map((e) => (e.payload as { task: { title: string } }).task.title),
    ).toEqual(['Fix add()', 'Fix add() for negative numbers']);
  });

  it('reach a running engine as config:changed and nightMode:changed when config.yaml is edited', async () => {
    const { home } = await setUp();
    const app = open(home, { watch: true });
    await app.start();
    const seen = record(app);
    expect(app.config.scheduler.night_mode).toBe(true);

    // Another process edits the file (the CLI's config writer, or a person with an editor).
    const cli = open(home);
    await callChannel(createEngineApi(cli, { host: 'cli', version: '0' }), 'config:set', {
      path: 'scheduler.night_mode',
      value: false,
    });

    const night = await until('nightMode:changed', () => seen.find((e) => e.event === 'nightMode:changed'));
    expect(night.payload).toEqual({
      enabled: false,
      window: { startTime: '22:00', endTime: '06:00', timezone: 'local' },
    });
    expect(seen.find((e) => e.event === 'config:changed')?.payload).toMatchObject({
      origin: 'external',
      config: { scheduler: { night_mode: false } },
    });
    // The running engine now holds the new value: what the next session reads.
    expect(app.config.scheduler.night_mode).toBe(false);

    // An edit that breaks the file is not taken: the last valid config stays.
    fs.writeFileSync(path.join(home, 'config.yaml'), 'scheduler:\n  start_time: "25:99"\n');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(app.config.scheduler.night_mode).toBe(false);
    expect(seen.filter((e) => e.event === 'config:changed')).toHaveLength(1);
  });
});

describe('the config writer', () => {
  it('keeps comments, validates, and names the field or variable it refuses', async () => {
    const { home } = await setUp();
    const engine = open(home, { env: { NOCTURNAL_LLM_MODEL: 'from-env' } });
    const seen = record(engine);
    const api = createEngineApi(engine, { host: 'server', version: '0' });

    const config = await callChannel(api, 'config:set', { path: 'quality.review_threshold', value: 0.6 });
    expect(config.quality.review_threshold).toBe(0.6);
    const text = fs.readFileSync(path.join(home, 'config.yaml'), 'utf8');
    expect(text).toContain('review_threshold: 0.6');
    // The default file's comments survive the edit.
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBe(
      renderDefaultConfigYaml()
        .split('\n')
        .filter((l) => l.trim().startsWith('#')).length,
    );
    expect(seen.map((e) => e.event)).toContain('config:changed');

    await expect(
      callChannel(api, 'config:set', { path: 'quality.review_threshold', value: 'high' }),
    ).rejects.toMatchObject({ kind: 'validation', message: expect.stringContaining('quality.review_threshold') });
    await expect(callChannel(api, 'config:set', { path: 'quality.reviewthreshold', value: 1 })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('review_threshold'),
    });
    await expect(callChannel(api, 'config:set', { path: 'llm.model', value: 'x' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('NOCTURNAL_LLM_MODEL'),
    });
    await expect(callChannel(api, 'config:set', { path: 'nonsense', value: 1 })).rejects.toMatchObject({
      kind: 'validation',
      message: expect.stringContaining('path'),
    });
    // Nothing of the refused writes reached the file.
    expect(loadConfig({ home, env: {} }).quality.review_threshold).toBe(0.6);
  });
});
