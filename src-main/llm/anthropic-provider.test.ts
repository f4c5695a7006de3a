import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider';
import type { LlmRequest } from './port';
import { useFakeAnthropic } from './testing/fake-anthropic-fixture';

const request: LlmRequest = {
  model: 'claude-sonnet-4-6',
  system: 'You are terse.',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  tools: [
    {
      name: 'read_file',
      description: 'read',
      inputSchema: { type: 'object', properties: { path: { type: 'string' } } },
    },
    { name: 'recall', description: 'recall', inputSchema: { type: 'object', properties: {} } },
  ],
  maxTokens: 256,
};

describe('AnthropicProvider against the fake Messages API (real SDK, real SSE)', () => {
  const fake = useFakeAnthropic();

  it('streams text deltas, reports usage from message_delta and cost, caches system and tools', async () => {
    fake.server.setScript(() => ({ text: 'Hello there, world', inputTokens: 1000, outputTokens: 2000 }));
    const deltas: string[] = [];
    const response = await fake.provider().complete(request, { onTextDelta: (text) => deltas.push(text) });
    expect(response.content).toEqual([{ type: 'text', text: 'Hello there, world' }]);
    expect(deltas.join('')).toBe('Hello there, world');
    expect(deltas.length).toBeGreaterThan(1);
    expect(response.usage).toEqual({ inputTokens: 1000, outputTokens: 2000, cacheReadTokens: 0, cacheWriteTokens: 0 });
    expect(response.costUsd).toBeCloseTo((1000 * 3 + 2000 * 15) / 1_000_000, 10);
    expect(response.stopReason).toBe('end_turn');
    const sent = fake.server.requests[0]?.body;
    expect(sent?.system).toEqual([{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }]);
    expect(sent?.tools?.[1]?.cache_control).toEqual({ type: 'ephemeral' });
    expect(sent?.tools?.[0]?.cache_control).toBeUndefined();
    expect([fake.server.requests[0]?.headers['x-api-key'], fake.server.requests[0]?.headers.authorization]).toContain(
      fake.server.requests[0]?.headers['x-api-key'] ? 'test-key' : 'Bearer test-key',
    );
  });

  it('assembles parallel tool calls from input_json_delta', async () => {
    fake.server.setScript(() => ({
      text: 'Reading both.',
      toolUses: [
        { id: 'toolu_1', name: 'read_file', input: { path: 'a.txt', options: { lines: [1, 2] } } },
        { id: 'toolu_2', name: 'read_file', input: { path: 'b.txt' } },
      ],
    }));
    const response = await fake.provider().complete(request);
    expect(response.stopReason).toBe('tool_use');
    expect(response.content).toEqual([
      { type: 'text', text: 'Reading both.' },
      { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.txt', options: { lines: [1, 2] } } },
      { type: 'tool_use', id: 'toolu_2', name: 'read_file', input: { path: 'b.txt' } },
    ]);
  });

  it('waits as long as retry-after says on 429, then retries 529 overloaded', async () => {
    fake.server.setScript((_request, index) =>
      index === 0 ? { status: 429, retryAfterSeconds: 1 } : index === 1 ? { status: 529 } : { text: 'finally' },
    );
    const started = Date.now();
    const response = await fake.provider().complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'finally' }]);
    expect(fake.server.requests).toHaveLength(3);
    const [first, second] = fake.server.requests;
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('gives up with a clear error when the API keeps failing', async () => {
    const impatient = new AnthropicProvider({ apiKey: 'k', baseUrl: fake.server.url, maxRetries: 1 });
    fake.server.setScript(() => ({ status: 529, retryAfterSeconds: 0.01, message: 'Overloaded' }));
    await expect(impatient.complete(request)).rejects.toThrow(/Anthropic API error 529/);
    expect(fake.server.requests).toHaveLength(2);
  });

  it('retries a stream cut mid-way and returns the complete answer', async () => {
    fake.server.setScript((_request, index) =>
      index === 0 ? { text: 'partial answer', cutAfterEvents: 4 } : { text: 'complete answer' },
    );
    const response = await fake.provider().complete(request);
    expect(response.content).toEqual([{ type: 'text', text: 'complete answer' }]);
    expect(fake.server.requests).toHaveLength(2);
  });

  it('aborts a slow stream promptly', async () => {
    fake.server.setScript(() => ({ text: 'a very slow answer indeed', chunkDelayMs: 400 }));
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = fake
      .provider()
      .complete(request, { signal: controller.signal, onTextDelta: (text) => deltas.push(text) });
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(fake.server.requests).toHaveLength(1);
  });
});
