import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config/schema';
import { channels } from './channels';
import type { NightModeState } from './channels';
import { dispatch } from './dispatch';
import type { SomeChannelHandlers } from './dispatch';
import { events } from './events';
import { channelNames, eventNames } from './names';
import type { ApiError } from './result';
import { checkChannelResult, checkEventPayload } from './validate';

function handlers(overrides: SomeChannelHandlers = {}): SomeChannelHandlers {
  let state: NightModeState = { enabled: false, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } };
  return {
    'app:getInfo': () => ({
      productName: 'Nocturnal Agent',
      version: '0.1.0',
      platform: 'linux',
      home: '/tmp/h',
      host: 'electron',
    }),
    'config:get': () => defaultConfig(),
    'nightMode:get': () => state,
    'nightMode:set': ({ enabled }) => (state = { ...state, enabled }),
    ...overrides,
  };
}

const describeError = (error: unknown): ApiError => ({
  type: 'runtime',
  message: error instanceof Error ? error.message : String(error),
});

describe('dispatch', () => {
  it('runs the handler with the validated payload and returns {data}', async () => {
    const h = handlers();
    expect(await dispatch('nightMode:set', { enabled: true }, h, describeError)).toEqual({
      data: { enabled: true, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } },
    });
    expect(await dispatch('nightMode:get', {}, h, describeError)).toMatchObject({ data: { enabled: true } });
  });

  it('refuses an unknown channel by name', async () => {
    const result = await dispatch('shell:exec', {}, handlers(), describeError);
    expect(result).toEqual({ error: { type: 'unknown_channel', message: expect.stringContaining('"shell:exec"') } });
  });

  it('answers unknown_channel for a known channel this host does not handle', async () => {
    expect(await dispatch('review:list', {}, handlers(), describeError)).toEqual({
      error: { type: 'unknown_channel', message: 'review:list: this host does not answer this channel' },
    });
  });

  it('names the nested field of a bad payload', async () => {
    const result = await dispatch(
      'tasks:add',
      { workspace: 'demo', title: 'x', priority: 'urgent' },
      handlers(),
      describeError,
    );
    expect(result).toEqual({
      error: { type: 'validation', message: expect.stringMatching(/^tasks:add: invalid payload: priority: /) },
    });
    const unknown = await dispatch('session:start', { maxTasks: 1, untill: '05:00' }, handlers(), describeError);
    expect(unknown).toEqual({ error: { type: 'validation', message: expect.stringContaining('untill') } });
  });

  it('refuses a payload that fails its schema, naming the field, before the handler runs', async () => {
    let called = false;
    const h = handlers({
      'nightMode:set': () => ((called = true), { enabled: true, window: { startTime: '', endTime: '', timezone: '' } }),
    });
    const result = await dispatch('nightMode:set', { enabled: 'yes' }, h, describeError);
    expect(result).toEqual({ error: { type: 'validation', message: expect.stringContaining('enabled') } });
    expect(called).toBe(false);
    expect(await dispatch('app:getInfo', { extra: 1 }, h, describeError)).toMatchObject({
      error: { type: 'validation' },
    });
  });

  it('turns a thrown error into an {error} value through the host describer', async () => {
    const h = handlers({
      'config:get': () => {
        throw new Error('config.yaml:3: scheduler.start_time: expected HH:MM');
      },
    });
    expect(await dispatch('config:get', {}, h, describeError)).toEqual({
      error: { type: 'runtime', message: 'config.yaml:3: scheduler.start_time: expected HH:MM' },
    });
  });

  it('reports a handler answer outside the contract instead of passing it on', async () => {
    const h = handlers({ 'nightMode:get': () => ({ enabled: 'sometimes' }) as unknown as NightModeState });
    expect(await dispatch('nightMode:get', {}, h, describeError)).toMatchObject({ error: { type: 'contract' } });
  });
});

describe('receiving-side checks', () => {
  it('passes {data} and {error} envelopes that match the contract', () => {
    const data = { enabled: true, window: { startTime: '23:00', endTime: '05:00', timezone: 'Europe/Berlin' } };
    expect(checkChannelResult('nightMode:get', { data })).toEqual({ data });
    const error = { error: { type: 'conflict', message: 'overridden by NOCTURNAL_SCHEDULER_NIGHT_MODE' } };
    expect(checkChannelResult('nightMode:set', error)).toEqual(error);
  });

  it('turns anything else into a contract error', () => {
    expect(checkChannelResult('app:getInfo', { data: { productName: 1 } })).toMatchObject({
      error: { type: 'contract' },
    });
    expect(checkChannelResult('app:getInfo', undefined)).toMatchObject({ error: { type: 'contract' } });
    expect(checkEventPayload('nightMode:changed', { enabled: true })).toMatchObject({
      problem: expect.stringContaining('window'),
    });
  });
});

describe('contract tables', () => {
  it('name every channel and event exactly once', () => {
    expect(Object.keys(channels).sort()).toEqual([...channelNames].sort());
    expect(Object.keys(events).sort()).toEqual([...eventNames].sort());
    for (const name of [...channelNames, ...eventNames]) expect(name).toMatch(/^[a-z][A-Za-z]*:[a-z][A-Za-z]*$/);
  });
});
