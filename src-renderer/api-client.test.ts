import { describe, expect, it } from 'vitest';
import type { NocturnalBridge } from '../src-shared/api/bridge';
import { defaultConfig } from '../src-shared/config/schema';
import { createHttpApiClient, pickApiClient, tokenFromHash } from './api-client';
import type { EventSourceLike } from './api-client';

const noEvents = (): EventSourceLike => ({ addEventListener: () => undefined, close: () => undefined });

describe('choosing the transport', () => {
  it('reads the token from the fragment `nocturnal serve` prints', () => {
    expect(tokenFromHash('#token=abc_DEF-123')).toBe('abc_DEF-123');
    expect(tokenFromHash('#token=')).toBeNull();
    expect(tokenFromHash('')).toBeNull();
  });

  it('uses the bridge in Electron, HTTP with a token in a browser, and says "not connected" otherwise', async () => {
    const fetchNever = (() => Promise.reject(new Error('no network in this test'))) as typeof fetch;
    const bridge = {
      invoke: () => Promise.resolve({ data: defaultConfig() }),
      on: () => () => undefined,
    } as unknown as NocturnalBridge;
    const viaBridge = pickApiClient({
      bridge,
      location: { origin: 'file://', hash: '' },
      fetch: fetchNever,
      openEvents: noEvents,
    });
    expect(await viaBridge.invoke('config:get', {})).toEqual({ data: defaultConfig() });

    const viaHttp = pickApiClient({
      bridge: undefined,
      location: { origin: 'http://127.0.0.1:7391', hash: '#token=t0k' },
      fetch: fetchNever,
      openEvents: noEvents,
    });
    expect(viaHttp.connected).toBe(true);
    expect(await viaHttp.invoke('config:get', {})).toEqual({
      error: { type: 'not_connected', message: expect.stringContaining('no network in this test') },
    });

    const none = pickApiClient({
      bridge: undefined,
      location: { origin: 'http://127.0.0.1:7391', hash: '' },
      fetch: fetchNever,
      openEvents: noEvents,
    });
    expect(none.connected).toBe(false);
  });
});

describe('the HTTP client', () => {
  it('posts JSON with the bearer token and checks the answer against the contract', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const answers = [
      { data: { enabled: true, window: { startTime: '22:00', endTime: '06:00', timezone: 'local' } } },
      { data: { enabled: 'yes' } },
      { error: { type: 'validation', message: 'nightMode:set: invalid payload: enabled: expected boolean' } },
    ];
    const fetchScripted = ((url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return Promise.resolve(
        new Response(JSON.stringify(answers.shift()), { status: 200, headers: { 'content-type': 'application/json' } }),
      );
    }) as typeof fetch;
    const client = createHttpApiClient({
      baseUrl: 'http://127.0.0.1:7391',
      token: 't0k',
      fetch: fetchScripted,
      openEvents: noEvents,
    });
    expect(await client.invoke('nightMode:set', { enabled: true })).toMatchObject({ data: { enabled: true } });
    expect(calls[0]).toEqual({
      url: 'http://127.0.0.1:7391/api/nightMode:set',
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer t0k' },
        body: '{"enabled":true}',
      },
    });
    expect(await client.invoke('nightMode:get', {})).toMatchObject({ error: { type: 'contract' } });
    expect(await client.invoke('nightMode:set', { enabled: true })).toEqual({
      error: { type: 'validation', message: expect.stringContaining('enabled') },
    });
  });

  it('opens one event stream with the token and hands on only payloads inside the contract', () => {
    const opened: string[] = [];
    const handlers = new Map<string, (message: { data: string }) => void>();
    const client = createHttpApiClient({
      baseUrl: 'http://127.0.0.1:7391',
      token: 'a b',
      fetch: fetch,
      openEvents: (url) => {
        opened.push(url);
        return { addEventListener: (type, listener) => handlers.set(type, listener), close: () => undefined };
      },
    });
    const received: unknown[] = [];
    client.on('nightMode:changed', (payload) => received.push(payload));
    client.on('nightMode:changed', (payload) => received.push(payload));
    expect(opened).toEqual(['http://127.0.0.1:7391/api/events?token=a%20b']);
    handlers.get('nightMode:changed')?.({
      data: JSON.stringify({ enabled: false, window: { startTime: '23:00', endTime: '05:00', timezone: 'UTC' } }),
    });
    handlers.get('nightMode:changed')?.({ data: JSON.stringify({ enabled: 'no' }) });
    expect(received).toEqual([
      { enabled: false, window: { startTime: '23:00', endTime: '05:00', timezone: 'UTC' } },
      { enabled: false, window: { startTime: '23:00', endTime: '05:00', timezone: 'UTC' } },
    ]);
  });
});
