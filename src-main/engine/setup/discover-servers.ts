// Finds the OpenAI-compatible servers running on this machine (LM Studio, Ollama, llama-server) and
// the models each one lists. A port that is closed, slow or answers something that is not an
// OpenAI model list is simply not a server for us: discovery never fails, it reports what it found
// and, for the ones that answered wrongly, why they were skipped.
import { z } from 'zod';
import { KNOWN_LOCAL_SERVERS } from './local-servers';
import type { KnownLocalServer } from './local-servers';

export interface DiscoveredServer {
  id: KnownLocalServer['id'];
  name: string;
  apiUrl: string;
  /** Model ids from GET /v1/models, in the server's order. */
  models: string[];
}

export interface SkippedServer {
  id: KnownLocalServer['id'];
  name: string;
  apiUrl: string;
  /** Why it is not offered ("nothing is listening", "answered HTTP 404", …). */
  reason: string;
}

export interface ServerDiscovery {
  found: DiscoveredServer[];
  skipped: SkippedServer[];
}

export interface DiscoverOptions {
  servers?: readonly KnownLocalServer[];
  /** Per server; a local server answers its model list in milliseconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

const modelListSchema = z.object({ data: z.array(z.object({ id: z.string().min(1) })) });

export async function discoverLocalServers(options: DiscoverOptions = {}): Promise<ServerDiscovery> {
  const servers = options.servers ?? KNOWN_LOCAL_SERVERS;
  const timeoutMs = options.timeoutMs ?? 1500;
  const probes = await Promise.all(servers.map((server) => probe(server, timeoutMs, options.signal)));
  const found: DiscoveredServer[] = [];
  const skipped: SkippedServer[] = [];
  for (const result of probes) {
    if (result.kind === 'found') found.push(result.server);
    else skipped.push(result.skipped);
  }
  return { found, skipped };
}

type ProbeResult = { kind: 'found'; server: DiscoveredServer } | { kind: 'skipped'; skipped: SkippedServer };

async function probe(
  server: KnownLocalServer,
  timeoutMs: number,
  outer: AbortSignal | undefined,
): Promise<ProbeResult> {
  const skip = (reason: string): ProbeResult => ({
    kind: 'skipped',
    skipped: { id: server.id, name: server.name, apiUrl: server.apiUrl, reason },
  });
  const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${server.apiUrl}/models`, {
      signal,
      headers: { accept: 'application/json' },
      redirect: 'error',
    });
  } catch (error) {
    if (signal.aborted) return skip(outer?.aborted ? 'discovery was cancelled' : `no answer within ${timeoutMs} ms`);
    return skip(connectionReason(error));
  }
  if (!response.ok) {
    await response.body?.cancel();
    return skip(`answered HTTP ${response.status} to GET /v1/models`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return skip('GET /v1/models did not answer JSON');
  }
  const parsed = modelListSchema.safeParse(body);
  if (!parsed.success) return skip('GET /v1/models did not answer an OpenAI model list ({"data": [{"id": …}]})');
  return {
    kind: 'found',
    server: { id: server.id, name: server.name, apiUrl: server.apiUrl, models: parsed.data.data.map((m) => m.id) },
  };
}

function connectionReason(error: unknown): string {
  const code = (error as { cause?: { code?: unknown } }).cause?.code;
  if (code === 'ECONNREFUSED') return 'nothing is listening';
  return `could not connect (${typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)})`;
}
