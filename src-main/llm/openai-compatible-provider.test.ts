import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OpenAiCompatibleProvider } from './openai-compatible-provider';

describe('OpenAI-compatible local endpoint adapter', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  const serve = async (handler: (body: Record<string, unknown>, res: http.ServerResponse) => void) => {
    const bodies: Array<Record<string, unknown>> = [];
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(raw) as Record<string, unknown>;
        bodies.push(body);
        handler(body, res);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, bodies };
  };
  const sse = (res: http.ServerResponse, chunks: unknown[]) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const chunk of chunks) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
    res.end('data: [DONE]\n\n');
  };

  it('streams text and tool calls and maps the conversation to chat messages', async () => {
    const { url, bodies } = await serve((_body, res) =>
      sse(res, [
        { choices: [{ delta: { content: 'Let me ' } }] },
        { choices: [{ delta: { content: 'look.' } }] },
        {
          choices: [
            { delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'read_file', arguments: '{"pa' } }] } },
          ],
        },
        {
          choices: [
            {
              delta: { tool_calls: [{ index: 0, function: { arguments: 'th":"a.txt"}' } }] },
              finish_reason: 'tool_calls',
            },
          ],
        },
        { choices: [], usage: { prompt_tokens: 12, completion_tokens: 7 } },
      ]),
    );
    const provider = new OpenAiCompatibleProvider({ baseUrl: url });
    const deltas: string[] = [];
    const response = await provider.complete(
      {
        model: 'llama3.1',
        system: 'be brief',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'hi' }] },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'c0', name: 'recall', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', toolUseId: 'c0', content: 'nothing' }] },
        ],
        tools: [{ name: 'read_file', description: 'read', inputSchema: { type: 'object' } }],
        maxTokens: 100,
      },
      { onTextDelta: (text) => deltas.push(text) },
    );
    expect(deltas).toEqual(['Let me ', 'look.']);
    expect(response).toMatchObject({
      content: [
        { type: 'text', text: 'Let me look.' },
        { type: 'tool_use', id: 'c1', name: 'read_file', input: { path: 'a.txt' } },
      ],
      stopReason: 'tool_use',
      usage: { inputTokens: 12, outputTokens: 7 },
      costUsd: 0,
    });
    expect(bodies[0]?.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c0', type: 'function', function: { name: 'recall', arguments: '{}' } }],
      },
      { role: 'tool', tool_call_id: 'c0', content: 'nothing' },
    ]);
  });

  it('retries 503 and reports an unreachable endpoint clearly', async () => {
    let calls = 0;
    const { url } = await serve((_body, res) => {
      if (++calls === 1) {
        res.writeHead(503);
        res.end('loading model');
        return;
      }
      sse(res, [{ choices: [{ delta: { content: 'ready' }, finish_reason: 'stop' }] }]);
    });
    const provider = new OpenAiCompatibleProvider({ baseUrl: url, retryBaseDelayMs: 10 });
    const response = await provider.complete({ model: 'm', system: '', messages: [], tools: [], maxTokens: 10 });
    expect(response.content).toEqual([{ type: 'text', text: 'ready' }]);
    const unreachable = new OpenAiCompatibleProvider({ baseUrl: 'http://127.0.0.1:9/v1' });
    await expect(
      unreachable.complete({ model: 'm', system: '', messages: [], tools: [], maxTokens: 10 }),
    ).rejects.toThrow(/cannot reach the local model endpoint http:\/\/127.0.0.1:9\/v1/);
  });
});
