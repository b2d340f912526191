// A real OpenAI-compatible HTTP server on 127.0.0.1 for tests (DESIGN §10: no mocks of the HTTP
// boundary). It speaks just enough of the API that the openai SDK and our provider see a genuine
// server: GET /v1/models and POST /v1/chat/completions (plain or `stream: true`).
//
// Replies are scripted: `enqueue()` adds replies that are used in order, one per chat request; when
// the queue is empty the `responder` decides. Every request is recorded for assertions.
//
//   const server = await startLoopbackOpenAiServer({ models: ['m'] });
//   server.enqueue({ content: { summary: 'x', edits: [] } });
//   …provider with api_url: server.url…
//   expect(server.chatRequests[0]?.body.response_format).toMatchObject({ type: 'json_schema' });
//   await server.close();
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  /** A successful completion; an object is sent as its JSON text. */
  | {
      content: string | object;
      usage?: { prompt_tokens?: number; completion_tokens?: number; cached_tokens?: number };
      /** Send no `usage` at all, like some servers do. */
      omitUsage?: boolean;
      finishReason?: 'stop' | 'length';
      /**
       * Send the headers and this many 16-character pieces of the reply, then go silent with the
       * connection open: a server that stalls half-way through a reply (streamed or not).
       */
      stallAfterChunks?: number;
    }
  /** An HTTP error with an OpenAI-style error body. */
  | { status: number; message?: string }
  /** Accept the request and never answer (until the client gives up or the server closes). */
  | { hang: true }
  /** Answer 400 the way servers without structured output reject `response_format: json_schema`. */
  | { rejectJsonSchema: true };

export interface RecordedRequest {
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body ({} for requests without one). */
  body: ChatCompletionBody;
}

/** The parts of a chat completion request tests usually look at; everything else is kept too. */
export interface ChatCompletionBody {
  model?: string;
  messages?: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema: unknown } };
  stream?: boolean;
  [key: string]: unknown;
}

export interface LoopbackOpenAiServerOptions {
  /** Model ids GET /v1/models lists. */
  models?: string[];
  /** Decides the reply when the queue is empty. Without one, such a request gets a 500. */
  responder?: (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;
  /** Behave like a server without json_schema support: every json_schema request gets a 400. */
  rejectJsonSchema?: boolean;
  /** Listen on this loopback port (e.g. a well-known server's, for discovery tests); 0 picks a free one. */
  port?: number;
}

export interface LoopbackOpenAiServer {
  /** Base URL ending in /v1, ready for llm.api_url. */
  readonly url: string;
  readonly port: number;
  /** Mutable: tests may change the listed models between calls. */
  models: string[];
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Only the chat completion requests. */
  readonly chatRequests: RecordedRequest[];
  enqueue(...replies: ScriptedReply[]): void;
  /** Replies still waiting in the queue. */
  readonly pending: number;
  close(): Promise<void>;
}

export async function startLoopbackOpenAiServer(
  options: LoopbackOpenAiServerOptions = {},
): Promise<LoopbackOpenAiServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  let models = [...(options.models ?? ['loopback-model'])];
  let completionCounter = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `loopback server failed: ${String(error)}`);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const text = await readBody(req);
    let body: ChatCompletionBody = {};
    if (text !== '') {
      try {
        body = JSON.parse(text) as ChatCompletionBody;
      } catch {
        sendError(res, 400, 'request body is not valid JSON');
        return;
      }
    }
    const recorded: RecordedRequest = { method: req.method ?? 'GET', path, headers: { ...req.headers }, body };
    requests.push(recorded);

    if (req.method === 'GET' && path === '/v1/models') {
      sendJson(res, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'loopback' })),
      });
      return;
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      if (options.rejectJsonSchema === true && body.response_format?.type === 'json_schema') {
        sendJsonSchemaRejection(res);
        return;
      }
      const reply = queue.shift() ?? (await options.responder?.(recorded));
      if (reply === undefined) {
        sendError(res, 500, 'loopback server: no scripted reply left and no responder');
        return;
      }
      answer(res, body, reply);
      return;
    }
    sendError(res, 404, `loopback server: no route for ${req.method ?? '?'} ${path}`);
  }

  function answer(res: ServerResponse, body: ChatCompletionBody, reply: ScriptedReply): void {
    if ('hang' in reply) return; // keep the socket open; close() destroys it
    if ('rejectJsonSchema' in reply) {
      sendJsonSchemaRejection(res);
      return;
    }
    if ('status' in reply) {
      sendError(res, reply.status, reply.message ?? `scripted error ${reply.status}`);
      return;
    }
    const content = typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content);
    const promptTokens = reply.usage?.prompt_tokens ?? estimateTokens(JSON.stringify(body.messages ?? []));
    const completionTokens = reply.usage?.completion_tokens ?? estimateTokens(content);
    const usage =
      reply.omitUsage === true
        ? undefined
        : {
            prompt_tokens: promptTokens,
            completion_tokens: completionTokens,
            total_tokens: promptTokens + completionTokens,
            prompt_tokens_details: { cached_tokens: reply.usage?.cached_tokens ?? 0 },
          };
    const id = `chatcmpl-loopback-${++completionCounter}`;
    const model = body.model ?? models[0] ?? 'loopback-model';
    const finishReason = reply.finishReason ?? 'stop';
    if (body.stream === true) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const chunk = (delta: object, finish: string | null, extra: object = {}): string =>
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`;
      res.write(chunk({ role: 'assistant', content: '' }, null));
      // A few pieces, so clients exercise their chunk assembly.
      const pieces = content.match(/[\s\S]{1,16}/g) ?? [];
      if (reply.stallAfterChunks !== undefined) {
        for (const piece of pieces.slice(0, reply.stallAfterChunks)) res.write(chunk({ content: piece }, null));
        return; // close() destroys the socket
      }
      for (const piece of pieces) res.write(chunk({ content: piece }, null));
      res.write(chunk({}, finishReason));
      const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
      if (includeUsage && usage !== undefined) {
        res.write(
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 0, model, choices: [], usage })}\n\n`,
        );
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    if (reply.stallAfterChunks !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(
        `{"id": "${id}", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": ${JSON.stringify(content.slice(0, 16 * reply.stallAfterChunks))}`,
      );
      return;
    }
    sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finishReason, logprobs: null }],
      ...(usage === undefined ? {} : { usage }),
    });
  }

  await new Promise<void>((resolve, reject) => {
    // A taken port is the caller's environment, not a bug here: say which port and why.
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `127.0.0.1:${options.port ?? 0} is already in use by another process; stop it (or pick another port) and run again`,
              { cause: error },
            )
          : error,
      );
    server.once('error', failed);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', failed);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    get models() {
      return models;
    },
    set models(value: string[]) {
      models = value;
    },
    requests,
    get chatRequests() {
      return requests.filter((r) => r.path === '/v1/chat/completions');
    },
    enqueue(...replies) {
      queue.push(...replies);
    },
    get pending() {
      return queue.length;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hanging replies and keep-alive sockets would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, {
    error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', code: null },
  });
}

function sendJsonSchemaRejection(res: ServerResponse): void {
  sendError(res, 400, "'response_format.type' must be 'json_object' or 'text'; json_schema is not supported");
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}
