// The renderer's one way to reach the engine, whichever face serves it: in Electron it wraps
// `window.nocturnal` (the preload bridge); in a browser opened from `nocturnal serve` it speaks HTTP to
// the same API (`POST /api/<channel>`, events over `/api/events`) with the token from the URL's
// #fragment. Every answer and event is checked against the shared contract. With neither — a page
// opened some other way, or a preload that failed — every call answers `not_connected` instead of
// throwing, so the UI can say so plainly rather than showing made-up data.
import type { NocturnalBridge } from '../src-shared/api/bridge';
import type { ChannelPayload, ChannelResult } from '../src-shared/api/channels';
import type { EventPayload } from '../src-shared/api/events';
import type { ChannelName, EventName } from '../src-shared/api/names';
import { failure } from '../src-shared/api/result';
import type { Result } from '../src-shared/api/result';
import { checkChannelResult, checkEventPayload } from '../src-shared/api/validate';

export const notConnectedMessage =
  'This window is not connected to the Nocturnal engine (no desktop bridge and no server token found), so there is no live data to show. Open the address `nocturnal serve` printed, token included.';

export interface ApiClient {
  readonly connected: boolean;
  invoke<C extends ChannelName>(channel: C, payload: ChannelPayload<C>): Promise<Result<ChannelResult<C>>>;
  /** Subscribes to a push event; returns the function that unsubscribes. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createApiClient(bridge: NocturnalBridge | undefined): ApiClient {
  if (!bridge) {
    return {
      connected: false,
      invoke: () => Promise.resolve(failure('not_connected', notConnectedMessage)),
      on: () => () => undefined,
    };
  }
  return {
    connected: true,
    async invoke(channel, payload) {
      let raw: unknown;
      try {
        raw = await bridge.invoke(channel, payload);
      } catch (error) {
        return failure(
          'not_connected',
          `${channel}: the desktop bridge failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      return checkChannelResult(channel, raw);
    },
    on(event, listener) {
      return bridge.on(event, (raw: unknown) => {
        const checked = checkEventPayload(event, raw);
        if ('payload' in checked) listener(checked.payload);
        else console.error(checked.problem);
      });
    },
  };
}

/** The minimal EventSource this client needs (the browser's, or a test's). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}

export interface HttpClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:7391`. */
  baseUrl: string;
  token: string;
  fetch: typeof fetch;
  openEvents: (url: string) => EventSourceLike;
}

/** The API over `nocturnal serve`: one shared event stream, opened on the first subscription. */
export function createHttpApiClient(options: HttpClientOptions): ApiClient {
  const listeners = new Map<EventName, Set<(raw: unknown) => void>>();
  let source: EventSourceLike | undefined;
  const subscribed = new Set<EventName>();

  const ensureStream = (event: EventName) => {
    source ??= options.openEvents(`${options.baseUrl}/api/events?token=${encodeURIComponent(options.token)}`);
    if (subscribed.has(event)) return;
    subscribed.add(event);
    source.addEventListener(event, (message) => {
      let raw: unknown;
      try {
        raw = JSON.parse(message.data);
      } catch {
        console.error(`${event}: the server sent an event that is not JSON`);
        return;
      }
      for (const listener of listeners.get(event) ?? []) listener(raw);
    });
  };

  return {
    connected: true,
    async invoke(channel, payload) {
      let response: Response;
      try {
        response = await options.fetch(`${options.baseUrl}/api/${channel}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
          body: JSON.stringify(payload),
        });
      } catch (error) {
        return failure(
          'not_connected',
          `${channel}: the Nocturnal server did not answer (${error instanceof Error ? error.message : String(error)}); is \`nocturnal serve\` still running?`,
        );
      }
      let raw: unknown;
      try {
        raw = await response.json();
      } catch {
        return failure('contract', `${channel}: the server answered HTTP ${response.status} without JSON`);
      }
      return checkChannelResult(channel, raw);
    },
    on(event, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const wrapped = (raw: unknown) => {
        const checked = checkEventPayload(event, raw);
        if ('payload' in checked) listener(checked.payload);
        else console.error(checked.problem);
      };
      set.add(wrapped);
      ensureStream(event);
      return () => set.delete(wrapped);
    },
  };
}

/** The token `nocturnal serve` puts in the address's fragment (`#token=…`), if any. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.trim() !== '' ? token : null;
}

/** IPC inside Electron, HTTP in a browser opened from `nocturnal serve`, else not connected. */
export function pickApiClient(env: {
  bridge: NocturnalBridge | undefined;
  location: { origin: string; hash: string };
  fetch: typeof fetch;
  openEvents: (url: string) => EventSourceLike;
}): ApiClient {
  if (env.bridge) return createApiClient(env.bridge);
  const token = tokenFromHash(env.location.hash);
  if (token && /^https?:/.test(env.location.origin))
    return createHttpApiClient({ baseUrl: env.location.origin, token, fetch: env.fetch, openEvents: env.openEvents });
  return createApiClient(undefined);
}
