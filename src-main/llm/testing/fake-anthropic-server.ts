import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Anthropic Messages API that speaks its real streaming protocol (SSE with
 * message_start, content_block_start/delta/stop incl. input_json_delta, message_delta usage,
 * message_stop), so tests drive the real SDK. Each test scripts the replies; every request is kept.
 */
export interface FakeToolUse {
  id?: string;
  name: string;
  input: Record<string, unknown>;
}

/** A streamed answer, and the stream faults to inject into it. */
export interface FakeStreamReply {
  text?: string;
  toolUses?: FakeToolUse[];
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
  inputTokens?: number;
  outputTokens?: number;
  /** Prompt tokens read from and written to the prompt cache (reported in message_start, as the API does). */
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  /** Wait before the response headers (a slow model). */
  delayMs?: number;
  /** Wait between SSE events (a slow stream). */
  chunkDelayMs?: number;
  /** Drop the connection after this many SSE events (a stream cut mid-way). */
  cutAfterEvents?: number;
  /** Drop the connection right after the first input_json_delta of the first tool use (half an input sent). */
  cutInToolInput?: boolean;
  /** Stream the first tool use's input as text that is not JSON (a model or proxy fault). */
  malformedToolJson?: boolean;
}

export type FakeReply =
  | FakeStreamReply
  | { status: 429 | 500 | 529; retryAfterSeconds?: number; message?: string }
  /** Accept the request and never answer: no status line, no bytes, the connection left open. */
  | { neverAnswer: true };

export interface FakeRequest {
  body: {
    model: string;
    system?: unknown;
    messages: Array<{ role: string; content: unknown }>;
    tools?: Array<{ name: string; cache_control?: unknown }>;
    max_tokens: number;
    stream?: boolean;
  };
  headers: http.IncomingHttpHeaders;
  receivedAt: number;
}

export type FakeScript = (request: FakeRequest, index: number) => FakeReply | Promise<FakeReply>;

export interface FakeAnthropicServer {
  url: string;
  requests: FakeRequest[];
  /** Headers of each GET /v1/models (the health probe), kept apart so `requests` holds Messages calls only. */
  modelListings: http.IncomingHttpHeaders[];
  setScript(script: FakeScript): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = { 429: 'rate_limit_error', 500: 'api_error', 529: 'overloaded_error' };

export async function startFakeAnthropicServer(
  script: FakeScript = () => ({ text: 'ok' }),
): Promise<FakeAnthropicServer> {
  let current = script;
  const requests: FakeRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const modelListings: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/v1/models')) {
      modelListings.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: [{ type: 'model', id: 'claude-sonnet-4-6' }], has_more: false }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: FakeRequest = {
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as FakeRequest['body'],
        headers: req.headers,
        receivedAt: Date.now(),
      };
      requests.push(request);
      void Promise.resolve(current(request, requests.length - 1)).then((reply) => respond(reply, request, res));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    modelListings,
    setScript: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function respond(reply: FakeReply, request: FakeRequest, res: http.ServerResponse): Promise<void> {
  // The socket stays open until the client gives up or close() destroys it.
  if ('neverAnswer' in reply) return;
  if ('status' in reply) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = String(reply.retryAfterSeconds);
    res.writeHead(reply.status, headers);
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type: ERROR_TYPES[reply.status] ?? 'api_error', message: reply.message ?? `fake ${reply.status}` },
      }),
    );
    return;
  }
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'request-id': 'req_fake' });
  const events = streamEvents(reply, request.body.model);
  // Each event is handed to the socket before the next step, so a cut comes after what was sent.
  const send = (text: string) => new Promise<void>((resolve) => res.write(text, () => resolve()));
  let sent = 0;
  for (const [name, data] of events) {
    if (reply.cutAfterEvents !== undefined && sent >= reply.cutAfterEvents) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    await send(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    sent++;
    if (reply.cutInToolInput && isInputJsonDelta(data)) {
      res.destroy();
      return;
    }
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
  }
  res.end();
}

let messageCounter = 0;

function isInputJsonDelta(data: unknown): boolean {
  return (data as { delta?: { type?: string } }).delta?.type === 'input_json_delta';
}

/** Looks like the start of a JSON object but is not one: an unquoted value and a stray comma. */
const MALFORMED_TOOL_JSON = '{"path": notes.txt,, "mode": "r"}';

function streamEvents(reply: FakeStreamReply, model: string): Array<[string, unknown]> {
  const events: Array<[string, unknown]> = [];
  const outputTokens = reply.outputTokens ?? 10;
  events.push([
    'message_start',
    {
      type: 'message_start',
      message: {
        id: `msg_fake_${++messageCounter}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: reply.inputTokens ?? 100,
          output_tokens: 1,
          ...(reply.cacheReadTokens !== undefined ? { cache_read_input_tokens: reply.cacheReadTokens } : {}),
          ...(reply.cacheWriteTokens !== undefined ? { cache_creation_input_tokens: reply.cacheWriteTokens } : {}),
        },
      },
    },
  ]);
  events.push(['ping', { type: 'ping' }]);
  let index = 0;
  if (reply.text !== undefined) {
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'text', text: '' } },
    ]);
    for (const piece of splitInto(reply.text, 3)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index++;
  }
  for (const [position, toolUse] of (reply.toolUses ?? []).entries()) {
    const id = toolUse.id ?? `toolu_fake_${messageCounter}_${index}`;
    const inputJson = reply.malformedToolJson && position === 0 ? MALFORMED_TOOL_JSON : JSON.stringify(toolUse.input);
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: toolUse.name, input: {} } },
    ]);
    for (const piece of splitInto(inputJson, 3)) {
      events.push([
        'content_block_delta',
        { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } },
      ]);
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
    index++;
  }
  const stopReason = reply.stopReason ?? ((reply.toolUses?.length ?? 0) > 0 ? 'tool_use' : 'end_turn');
  events.push([
    'message_delta',
    {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: { output_tokens: outputTokens },
    },
  ]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

function splitInto(text: string, parts: number): string[] {
  if (text.length === 0) return [''];
  const size = Math.ceil(text.length / parts);
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) pieces.push(text.slice(start, start + size));
  return pieces;
}
