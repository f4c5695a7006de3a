import { describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic-provider';
import type { LlmRequest, LlmRetry } from './port';
import { useFakeAnthropic } from './testing/fake-anthropic-fixture';

const requestFor = (text: string): LlmRequest => ({
  model: 'claude-sonnet-4-6',
  system: '',
  messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  tools: [],
  maxTokens: 64,
});

/** The SDK's retries, seen through its fetch: each call hears about its own retries only. */
describe('retries of the Anthropic SDK, reported per call', () => {
  const fake = useFakeAnthropic();

  it('reports a 429 and a 529 retried by the SDK, with the attempt each retry is', async () => {
    fake.server.setScript((_request, index) =>
      index === 0
        ? { status: 429, retryAfterSeconds: 0.01 }
        : index === 1
          ? { status: 529, retryAfterSeconds: 0.01 }
          : { text: 'ok' },
    );
    const retries: LlmRetry[] = [];
    await fake.provider().complete(requestFor('hi'), { onRetry: (retry) => retries.push(retry) });
    expect(retries).toEqual([
      { attempt: 2, status: 429 },
      { attempt: 3, status: 529 },
    ]);
  });

  it('reports a stream cut mid-way as a retry without a status', async () => {
    fake.server.setScript((_request, index) =>
      index === 0 ? { text: 'partial answer', cutAfterEvents: 4 } : { text: 'whole' },
    );
    const retries: LlmRetry[] = [];
    const response = await fake.provider().complete(requestFor('hi'), { onRetry: (retry) => retries.push(retry) });
    expect(response.content).toEqual([{ type: 'text', text: 'whole' }]);
    expect(retries).toEqual([{ attempt: 2, status: null }]);
  });

  it('keeps concurrent calls apart, and a final failure is not a retry', async () => {
    fake.server.setScript((request) =>
      JSON.stringify(request.body.messages).includes('flaky')
        ? { status: 529, retryAfterSeconds: 0.01 }
        : { text: 'steady', delayMs: 50 },
    );
    const impatient = new AnthropicProvider({ apiKey: 'k', baseUrl: fake.server.url, maxRetries: 2 });
    const flaky: LlmRetry[] = [];
    const steady: LlmRetry[] = [];
    const [failed, answered] = await Promise.allSettled([
      impatient.complete(requestFor('flaky'), { onRetry: (retry) => flaky.push(retry) }),
      impatient.complete(requestFor('steady'), { onRetry: (retry) => steady.push(retry) }),
    ]);
    expect(failed.status).toBe('rejected');
    expect(answered.status).toBe('fulfilled');
    // Three requests: the first and two retries; the third failure ends the call.
    expect(flaky).toEqual([
      { attempt: 2, status: 529 },
      { attempt: 3, status: 529 },
    ]);
    expect(steady).toEqual([]);
  });
});
