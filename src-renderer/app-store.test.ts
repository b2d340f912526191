import { beforeEach, describe, expect, it } from 'vitest';
import type { NocturnalBridge } from '../src-shared/api/bridge';
import type { NightModeState } from '../src-shared/api/channels';
import { dispatch } from '../src-shared/api/dispatch';
import type { SomeChannelHandlers } from '../src-shared/api/dispatch';
import { defaultConfig } from '../src-shared/config/schema';
import { createApiClient, notConnectedMessage } from './api-client';
import { initialAppData, useAppStore } from './app-store';

const night: NightModeState = { enabled: false, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } };

/**
 * A bridge that answers through the same `dispatch` the main process uses, so these tests exercise
 * the real contract checks on both sides; only Electron's IPC hop (unavailable here) is left out.
 */
function bridgeWith(overrides: SomeChannelHandlers = {}): NocturnalBridge {
  let state = night;
  const handlers: SomeChannelHandlers = {
    'app:getInfo': () => ({
      productName: 'Nocturnal Agent',
      version: '0.1.0',
      platform: 'linux',
      home: '/home/u/.config/nocturnal-agent',
      host: 'electron',
    }),
    'config:get': () => defaultConfig(),
    'nightMode:get': () => state,
    'nightMode:set': ({ enabled }) => (state = { ...state, enabled }),
    ...overrides,
  };
  const bridge = {
    invoke: (channel: string, payload: unknown) =>
      dispatch(channel, payload, handlers, (error) => ({
        type: 'conflict',
        message: error instanceof Error ? error.message : String(error),
      })),
    on: () => () => undefined,
  };
  return bridge as NocturnalBridge;
}

beforeEach(() => {
  useAppStore.setState(initialAppData);
});

describe('app store', () => {
  it('says clearly when there is no bridge, and loads nothing', async () => {
    await useAppStore.getState().connect(createApiClient(undefined));
    const state = useAppStore.getState();
    expect(state.connection).toEqual({ status: 'not_connected', message: notConnectedMessage });
    expect(state.info).toBeNull();
    expect(state.nightMode).toBeNull();
  });

  it('loads app info and night mode through the bridge', async () => {
    await useAppStore.getState().connect(createApiClient(bridgeWith()));
    const state = useAppStore.getState();
    expect(state.connection).toEqual({ status: 'connected' });
    expect(state.info?.home).toBe('/home/u/.config/nocturnal-agent');
    expect(state.nightMode).toEqual(night);
  });

  it('reports an answer outside the contract as a failed connection', async () => {
    const broken = bridgeWith({ 'nightMode:get': () => ({ on: true }) as unknown as NightModeState });
    await useAppStore.getState().connect(createApiClient(broken));
    expect(useAppStore.getState().connection).toMatchObject({
      status: 'failed',
      message: expect.stringContaining('nightMode:get'),
    });
  });

  it('arms night mode and clears an earlier error', async () => {
    await useAppStore.getState().connect(createApiClient(bridgeWith()));
    useAppStore.setState({ actionError: 'old' });
    await useAppStore.getState().setNightMode(true);
    expect(useAppStore.getState()).toMatchObject({
      nightMode: { enabled: true },
      nightModeBusy: false,
      actionError: null,
    });
  });

  it('keeps the previous night mode and shows why when the change is refused', async () => {
    const refusing = bridgeWith({
      'nightMode:set': () => {
        throw new Error('NOCTURNAL_SCHEDULER_NIGHT_MODE overrides scheduler.night_mode');
      },
    });
    await useAppStore.getState().connect(createApiClient(refusing));
    await useAppStore.getState().setNightMode(true);
    const state = useAppStore.getState();
    expect(state.nightMode).toEqual(night);
    expect(state.nightModeBusy).toBe(false);
    expect(state.actionError).toContain('NOCTURNAL_SCHEDULER_NIGHT_MODE');
  });

  it('applies night-mode changes pushed by the main process', () => {
    useAppStore.getState().nightModeChanged({ ...night, enabled: true });
    expect(useAppStore.getState().nightMode?.enabled).toBe(true);
  });
});
