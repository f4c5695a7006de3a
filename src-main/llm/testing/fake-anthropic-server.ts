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

export type FakeReply =
  | {
      text?: string;
      toolUses?: FakeToolUse[];
      stopReason?: 'end_turn' | 'tool_use' | 'max_tokens';
      inputTokens?: number;
      outputTokens?: number;
      /** Wait before the response headers (a slow model). */
      delayMs?: number;
      /** Wait between SSE events (a slow stream). */
      chunkDelayMs?: number;
      /** Drop the connection after this many SSE events (a stream cut mid-way). */
      cutAfterEvents?: number;
    }
  | { status: 429 | 500 | 529; retryAfterSeconds?: number; message?: string };

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
  const server = http.createServer((req, res) => {
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
  let sent = 0;
  for (const [name, data] of events) {
    if (reply.cutAfterEvents !== undefined && sent >= reply.cutAfterEvents) {
      res.destroy();
      return;
    }
    if (res.destroyed) return;
    res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
    sent++;
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
  }
  res.end();
}

let messageCounter = 0;

function streamEvents(reply: Extract<FakeReply, { text?: string }>, model: string): Array<[string, unknown]> {
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
        usage: { input_tokens: reply.inputTokens ?? 100, output_tokens: 1 },
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
  for (const toolUse of reply.toolUses ?? []) {
    const id = toolUse.id ?? `toolu_fake_${messageCounter}_${index}`;
    events.push([
      'content_block_start',
      { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name: toolUse.name, input: {} } },
    ]);
    for (const piece of splitInto(JSON.stringify(toolUse.input), 3)) {
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
